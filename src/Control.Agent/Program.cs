using System.CommandLine;
using Control.Agent;
using Control.Agent.Commands;

// control-agent: the daemon on a managed client. It enrols once, then keeps this machine's signed policy (verified
// against the key pinned at enrolment, cached on disk, acknowledged to the API) and shows what is in force.
var root = new RootCommand("control-agent: keeps this machine's signed Control policy and enforces it.");
root.Subcommands.Add(EnrollCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(AttendedCommands.Pending());
root.Subcommands.Add(AttendedCommands.Decide(accept: true));
root.Subcommands.Add(AttendedCommands.Decide(accept: false));
root.Subcommands.Add(VersionCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'control-agent --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (AgentFailure failure)
{
    // A failure may quote what the running agent, a viewer or the API said: line by line, inert, as control shows its own.
    Console.Error.WriteLine(string.Join('\n', failure.Message.Split('\n').Select(line => Control.Domain.Common.UntrustedText.Inert(line.TrimEnd('\r')))));
    return failure.ExitCode;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return ExitCodes.Failure;
}
catch (Exception unexpected)
{
    // One line, no stack trace: it helps no user and may carry request data.
    Console.Error.WriteLine($"error: unexpected failure ({unexpected.GetType().Name}): {unexpected.Message}");
    return ExitCodes.Failure;
}
