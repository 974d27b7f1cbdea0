using System.Text.Json;
using System.Text.Json.Serialization;
using Control.Agent.Server;

namespace Control.Agent.Storage;

/// <summary>
/// <c>agent.json</c>: who this client is and what it trusts. <see cref="Credential"/> authenticates the agent to the API
/// (a bearer secret) and <see cref="PolicyPublicKey"/> is the organization's policy key pinned at enrolment: only
/// policies it signed are ever enforced.
/// </summary>
internal sealed record Enrolment(
    string Server,
    Guid ClientId,
    string ClientNumber,
    string Organization,
    string? Alias,
    string Credential,
    string PolicyPublicKey,
    string KeyFingerprint,
    DateTimeOffset EnrolledAt)
{
    /// <summary><c>123456789 (kiosk1@acme)</c>, or <c>123456789 (acme)</c> without an alias.</summary>
    [JsonIgnore]
    public string DisplayName => $"{ClientNumber} ({Alias ?? Organization})";

    [JsonIgnore]
    public Uri ServerUri => ServerAddress.FromStored(Server);

    public static Enrolment? Load(StateDirectory state)
    {
        Enrolment? enrolment;
        try
        {
            enrolment = PrivateFile.ReadJson<Enrolment>(state.EnrolmentFile, AgentJson.Files);
        }
        catch (JsonException)
        {
            throw Damaged(state);
        }

        if (enrolment is null)
        {
            return null;
        }

        if (enrolment.ClientId == Guid.Empty || string.IsNullOrEmpty(enrolment.Credential) || string.IsNullOrEmpty(enrolment.PolicyPublicKey)
            || string.IsNullOrEmpty(enrolment.Server) || string.IsNullOrEmpty(enrolment.Organization) || string.IsNullOrEmpty(enrolment.ClientNumber)
            || string.IsNullOrEmpty(enrolment.KeyFingerprint) || !Uri.TryCreate(enrolment.Server, UriKind.Absolute, out _))
        {
            throw Damaged(state);
        }

        return enrolment;
    }

    public void Save(StateDirectory state) => PrivateFile.WriteJson(state.EnrolmentFile, this, AgentJson.Files);

    // The compiler's ToString would print the credential; a stray log line must not leak it.
    public override string ToString() => $"{DisplayName} enrolled with {Server}";

    private static AgentFailure Damaged(StateDirectory state) =>
        AgentFailure.Error($"{state.EnrolmentFile} is damaged; enrol again: control-agent enroll --force --server URL --token TOKEN");
}
