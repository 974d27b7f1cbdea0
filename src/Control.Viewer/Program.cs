using Control.Viewer;
using Control.Viewer.Infrastructure;

PhaseTrace.Mark("main");

var exitCode = await Cli.RunAsync(args, CliContext.FromConsole());
PhaseTrace.Mark("done");
return exitCode;
