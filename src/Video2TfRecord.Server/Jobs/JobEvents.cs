using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Video2TfRecord.Server.Jobs;

/// <summary>
/// Tells the clients following a job (<c>GET /api/jobs/{id}/events</c>) each new state of it. A slow client misses
/// intermediate states, never the last one: each follower keeps only the newest state not yet sent.
/// </summary>
internal sealed class JobEvents
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<Job>, byte>> _followers = new(StringComparer.Ordinal);

    /// <summary>Starts following job <paramref name="id"/>; dispose the result to stop.</summary>
    public Follower Follow(string id)
    {
        var channel = Channel.CreateBounded<Job>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _followers.GetOrAdd(id, _ => new()).TryAdd(channel, 0);
        return new Follower(channel.Reader, () =>
        {
            if (_followers.TryGetValue(id, out var set) && set.TryRemove(channel, out _) && set.IsEmpty)
            {
                // The last follower left: the job's entry goes (a follower arriving meanwhile adds it again).
                _followers.TryRemove(KeyValuePair.Create(id, set));
            }
        });
    }

    /// <summary>Sends <paramref name="job"/> to everyone following it.</summary>
    public void Publish(Job job)
    {
        if (_followers.TryGetValue(job.Id, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(job);
            }
        }
    }

    /// <summary>One client following one job.</summary>
    public sealed class Follower(ChannelReader<Job> reader, Action stop) : IDisposable
    {
        /// <summary>The states, newest last.</summary>
        public ChannelReader<Job> Reader => reader;

        public void Dispose() => stop();
    }
}
