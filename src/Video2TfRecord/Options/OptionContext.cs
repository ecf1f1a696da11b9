namespace Video2TfRecord.Options;

/// <summary>
/// What an option table reads besides the words: environment variables (<c>--worker-index auto</c>), standard input
/// (<c>--input-list -</c>) and the core count (the default <c>--jobs</c>). Tests and hosts pass their own.
/// </summary>
/// <param name="Environment">Looks up an environment variable; null when unset.</param>
/// <param name="StandardInput">What <c>--input-list -</c> reads.</param>
/// <param name="ProcessorCount">The default number of videos converted at once.</param>
public sealed record OptionContext(Func<string, string?> Environment, TextReader StandardInput, int ProcessorCount)
{
    /// <summary>This process's environment, standard input and cores.</summary>
    public static OptionContext Process { get; } = new(System.Environment.GetEnvironmentVariable, Console.In, System.Environment.ProcessorCount);
}
