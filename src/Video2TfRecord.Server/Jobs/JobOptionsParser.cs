using Video2TfRecord.Conversion;

namespace Video2TfRecord.Server.Jobs;

/// <summary>
/// Turns <c>convert</c> arguments into the options of a run, exactly as the command line reads them (the command line
/// passes its own parser), so that a job's fields mean what the options mean there, with the same messages.
/// </summary>
/// <param name="arguments">The arguments after <c>convert</c>: inputs, <c>-o</c> and options.</param>
/// <returns>Validated options.</returns>
/// <exception cref="OptionException">An option or value is refused; the message is the command line's.</exception>
/// <exception cref="ArgumentException">The arguments do not parse; the message is the command line's.</exception>
public delegate ConversionOptions JobOptionsParser(IReadOnlyList<string> arguments);
