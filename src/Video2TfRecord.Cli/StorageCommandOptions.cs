using System.CommandLine;
using Video2TfRecord.Options;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary>The options of every command that reads or writes <c>s3://</c> paths (convert, merge-manifests, …), from <see cref="StorageOptionTable"/>.</summary>
internal sealed class StorageCommandOptions
{
    private readonly TableOptions _options = new(StorageOptionTable.All);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => _options.AddTo(command);

    /// <summary>The storage settings a parse gives.</summary>
    public StorageOptions Build(ParseResult parsed) => StorageOptionTable.Build(_options.Words(parsed));
}
