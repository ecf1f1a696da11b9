using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// A run's claim on its <c>s3://</c> output prefix, so two runs into one prefix at once cannot both finish with the slower
/// one's shards over the other's: the object <c>.video2tfrecord-lease.json</c> (a worker:
/// <c>.video2tfrecord-lease-worker-I-of-K.json</c>, its own slice) holds the run's id, host, process and times. A run
/// claims it before it deletes or uploads anything, checks it is still its own before each upload and at the end, and
/// deletes it when it ends, however it ends. A second run finds the claim and is refused, naming the first.
/// </summary>
/// <remarks>
/// The claim is written with <c>If-None-Match: *</c>, which S3, MinIO and R2 honor: of two runs that claim at once,
/// exactly one succeeds. A store that ignores the condition (s3rver, older gateways) is best effort: the claim is read
/// back, so only two runs within one round trip of each other can both believe they hold it, and the check before
/// each upload stops the one that lost before it uploads again. A claim is stale, and taken over with nothing said
/// against it, when its process is gone from this host, or when it was not renewed (at uploads, at most once a minute)
/// for <see cref="StaleAfter"/>.
/// </remarks>
internal sealed class PrefixLease(ObjectStore store, S3Location prefix, WorkerSlice? worker)
{
    /// <summary>A claim not renewed for this long belongs to a run that is gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly DateTime _started = DateTime.UtcNow;
    private DateTime _renewed;

    /// <summary>The claim's object.</summary>
    public S3Location Location { get; } = prefix.AsFolder().Child(worker is null
        ? ".video2tfrecord-lease.json"
        : string.Create(CultureInfo.InvariantCulture, $".video2tfrecord-lease-worker-{worker.Index:D5}-of-{worker.Count:D5}.json"));

    /// <summary>Whether this run holds the claim.</summary>
    public bool Held { get; private set; }

    /// <summary>This run's id, as the claim and messages name it.</summary>
    public string Run => _run;

    /// <summary>Claims the prefix for this run.</summary>
    /// <exception cref="StorageException">Another run holds it (the message names that run), or the store failed.</exception>
    public async Task ClaimAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } current && current.Run != _run)
            {
                if (!IsStale(current))
                {
                    throw Refused(current);
                }

                await store.DeleteAsync([Location], cancellationToken).ConfigureAwait(false);
            }

            var now = DateTime.UtcNow;
            if (!await store.WriteTextAsync(Location, Describe(now), onlyIfAbsent: true, cancellationToken).ConfigureAwait(false))
            {
                // Another run claimed it between the read and the write: read it again, to name it.
                continue;
            }

            // A store that ignored the condition may have let another run's claim replace this one.
            var after = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (after is not null && after.Run != _run)
            {
                throw Refused(after);
            }

            (Held, _renewed) = (true, now);
            return;
        }

        throw Refused(await ReadAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Before an upload, and at the end: the claim must still be this run's; renewed at most once a minute.</summary>
    /// <exception cref="StorageException">Another run holds it now: this run stops before it overwrites anything.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!Held)
        {
            return;
        }

        var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (current?.Run != _run)
        {
            Held = false;
            var other = current is null ? "its claim was deleted" : $"run {current.Run} on {current.Host} (process {current.Pid}) holds it now";
            throw new StorageException($"{prefix}: this run ({_run}) lost its claim on the output, {other}: it stops before it uploads again; run it again when the other has ended");
        }

        var now = DateTime.UtcNow;
        if (now - _renewed >= RenewEvery)
        {
            await store.WriteTextAsync(Location, Describe(now), onlyIfAbsent: false, cancellationToken).ConfigureAwait(false);
            _renewed = now;
        }
    }

    /// <summary>Gives the claim up (when it is still this run's); failures are left to staleness.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!Held)
        {
            return;
        }

        Held = false;
        try
        {
            if ((await ReadAsync(cancellationToken).ConfigureAwait(false))?.Run == _run)
            {
                await store.DeleteAsync([Location], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException)
        {
            // The claim goes stale after StaleAfter, or at once for a run on this host.
        }
    }

    private string Describe(DateTime renewed) =>
        JsonSerializer.Serialize(new Holder(_run, Environment.MachineName, Environment.ProcessId, _started, renewed), Json);

    private async Task<Holder?> ReadAsync(CancellationToken cancellationToken)
    {
        var text = await store.ReadTextAsync(Location, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Holder>(text, Json) ?? new Holder("unknown", "unknown", 0, default, default);
        }
        catch (JsonException)
        {
            // Not a claim this tool wrote: treated as one whose owner is unknown and long gone.
            return new Holder("unknown", "unknown", 0, default, default);
        }
    }

    private static bool IsStale(Holder holder)
    {
        if (DateTime.UtcNow - holder.Renewed > StaleAfter)
        {
            return true;
        }

        if (holder.Host != Environment.MachineName || holder.Pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            // No such process: the run on this host is gone (killed before it could give the claim up).
            return true;
        }
    }

    private StorageException Refused(Holder? holder) => new(holder is null
        ? $"{prefix}: another run claimed this output at the same time; run this one again when it has ended"
        : string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: another run is writing this output (run {holder.Run} on {holder.Host}, process {holder.Pid}, started {holder.Started:u}, last seen {holder.Renewed:u}); run this one when it has ended, or, if it is gone, delete {Location} (a claim not renewed for {StaleAfter.TotalMinutes:0} minutes is taken over)"));

    private sealed record Holder(
        [property: JsonPropertyName("run")] string Run,
        [property: JsonPropertyName("host")] string Host,
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("started")] DateTime Started,
        [property: JsonPropertyName("renewed")] DateTime Renewed);
}
