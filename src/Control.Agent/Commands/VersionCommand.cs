using System.CommandLine;

namespace Control.Agent.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the agent's version.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"control-agent {AgentVersion.Text}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
