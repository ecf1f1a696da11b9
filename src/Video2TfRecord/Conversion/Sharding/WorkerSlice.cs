using System.Globalization;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Options;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Sharding;

/// <summary>
/// One worker of several converting the same catalog into the same folder (<c>--worker-index I --worker-count K</c>):
/// worker I owns the shards s with s mod K = I and keeps its own manifest and video log, which
/// <see cref="ManifestMerger"/> joins when every worker is done.
/// </summary>
/// <param name="Index">0-based worker index, below <paramref name="Count"/>.</param>
/// <param name="Count">How many workers share the run.</param>
public sealed record WorkerSlice(int Index, int Count)
{
    /// <summary>The worker counts <c>--worker-count</c> takes.</summary>
    public static NumberRange CountRange { get; } = new(1, 100_000, Whole: true);

    /// <summary>Whether this worker writes shard <paramref name="shard"/>.</summary>
    public bool Owns(int shard) => shard % Count == Index;

    /// <summary>This worker's manifest: <c>manifest-worker-00001-of-00004.json</c>.</summary>
    internal string ManifestName => ManifestNames.Format(Index, Count);

    /// <summary>This worker's video log: <c>videos-worker-00001-of-00004.jsonl</c>.</summary>
    internal string LogName => LogNames.Format(Index, Count);

    /// <summary>The template of workers' manifests.</summary>
    internal static ShardName ManifestNames { get; } = new("manifest-worker", ".json");

    /// <summary>The template of workers' video logs.</summary>
    internal static ShardName LogNames { get; } = new("videos-worker", ".jsonl");

    /// <summary>
    /// The slice the options and environment ask for, or null without worker options. <paramref name="index"/>
    /// <c>auto</c> reads JOB_COMPLETION_INDEX (a Kubernetes indexed Job; <paramref name="count"/> required) or
    /// SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN with SLURM_ARRAY_TASK_COUNT (a Slurm job array).
    /// </summary>
    /// <exception cref="OptionException">The options are incomplete, out of range, or auto finds no scheduler.</exception>
    public static WorkerSlice? Resolve(string? index, int? count, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (index is null)
        {
            return count is null ? null : throw new OptionException("worker-index", "--worker-count needs --worker-index I (or auto)");
        }

        int worker;
        if (string.Equals(index, "auto", StringComparison.OrdinalIgnoreCase))
        {
            if (environment("JOB_COMPLETION_INDEX") is { } job)
            {
                worker = Number(job, "JOB_COMPLETION_INDEX");
                if (count is null)
                {
                    throw new OptionException("worker-index", "--worker-index auto found JOB_COMPLETION_INDEX (a Kubernetes indexed Job): give --worker-count K, the Job's completions");
                }
            }
            else if (environment("SLURM_ARRAY_TASK_ID") is { } task)
            {
                var first = environment("SLURM_ARRAY_TASK_MIN") is { } min ? Number(min, "SLURM_ARRAY_TASK_MIN") : 0;
                worker = Number(task, "SLURM_ARRAY_TASK_ID") - first;
                var tasks = environment("SLURM_ARRAY_TASK_COUNT") is { } n ? Number(n, "SLURM_ARRAY_TASK_COUNT") : count
                    ?? throw new OptionException("worker-index", "--worker-index auto found SLURM_ARRAY_TASK_ID but not SLURM_ARRAY_TASK_COUNT: give --worker-count K");
                if (count is { } given && given != tasks)
                {
                    throw new OptionException("worker-index", string.Create(CultureInfo.InvariantCulture, $"--worker-count {given} contradicts SLURM_ARRAY_TASK_COUNT {tasks}"));
                }

                count = tasks;
            }
            else
            {
                throw new OptionException("worker-index", "--worker-index auto: neither JOB_COMPLETION_INDEX (Kubernetes indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm job array) is set; give the index");
            }
        }
        else
        {
            worker = Number(index, "--worker-index");
            if (count is null)
            {
                throw new OptionException("worker-index", "--worker-index needs --worker-count K");
            }
        }

        if (count < 1 || worker < 0 || worker >= count)
        {
            throw new OptionException("worker-index", string.Create(CultureInfo.InvariantCulture, $"--worker-index {worker} of --worker-count {count}: the index must be from 0 to {count - 1}"));
        }

        return new WorkerSlice(worker, count.Value);
    }

    private static int Number(string text, string source) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new OptionException("worker-index", $"{source}: expected a non-negative whole number, got '{text}'");
}
