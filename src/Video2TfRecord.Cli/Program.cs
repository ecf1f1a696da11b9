using Video2TfRecord.Cli;

// Before anything else, on the main thread: a parent that dies from now on sends SIGTERM, which RunAsync handles.
ParentDeath.Arm();
return await CliApplication.RunAsync(args, Console.Out, Console.Error, errorIsTerminal: !Console.IsErrorRedirected).ConfigureAwait(false);
