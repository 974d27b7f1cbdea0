using System.Reflection;

namespace Control.Agent;

internal static class AgentVersion
{
    public static string Text { get; } =
        (typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];
}
