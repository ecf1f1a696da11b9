using Video2TfRecord.Cli;

return await CliApplication.RunAsync(args, Console.Out, Console.Error, errorIsTerminal: !Console.IsErrorRedirected).ConfigureAwait(false);
