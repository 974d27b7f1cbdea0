using System.Text.Json;

namespace Control.Agent.Storage;

/// <summary><c>status.json</c>: what the running agent last knew about its connection, for <c>control-agent status</c>.</summary>
internal sealed record AgentStatus(
    string State,
    DateTimeOffset? Since,
    DateTimeOffset? LastContactAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    bool CredentialRefused,
    long? AcknowledgedVersion,
    int? Pid,
    DateTimeOffset? UpdatedAt)
{
    public const string Starting = "starting";
    public const string Online = "online";
    public const string Offline = "offline";
    public const string Stopped = "stopped";

    public static AgentStatus Initial { get; } = new(Starting, null, null, null, null, false, null, null, null);

    /// <summary>Null when there is none yet; a damaged file is treated like none (it only describes, it enforces nothing).</summary>
    public static AgentStatus? Read(StateDirectory state)
    {
        try
        {
            return PrivateFile.ReadJson<AgentStatus>(state.StatusFile, AgentJson.Files);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(StateDirectory state) => PrivateFile.WriteJson(state.StatusFile, this, AgentJson.Files);
}
