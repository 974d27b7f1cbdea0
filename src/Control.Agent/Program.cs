using System.CommandLine;
using System.Reflection;

// control-agent: the daemon on a managed client. This foundation provides only its command-line frame; enrolment,
// the signed policy and sessions are built on it next (see the README's roadmap).
var root = new RootCommand("control-agent: keeps this machine's signed Control policy and enforces it.");
var version = new Command("version", "Print the agent's version.");
version.SetAction(_ =>
{
    var informational = Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    Console.WriteLine($"control-agent {informational.Split('+')[0]}");
    return 0;
});
root.Subcommands.Add(version);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'control-agent --help' for usage.");
    return 2;
}

return await parsed.InvokeAsync();
