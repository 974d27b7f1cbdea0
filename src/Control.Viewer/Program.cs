using Control.Viewer;

return await Cli.RunAsync(args, CliContext.FromConsole());
