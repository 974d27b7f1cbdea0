using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Organizations;

namespace Control.Domain.Tests.Clients;

/// <summary>Ending sessions and revoking remember-tokens: given the client's events, when the command, then the events (or the refusal).</summary>
public class SessionControlTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Sam = new(Guid.CreateVersion7(), "sam@acme");
    private static readonly Guid ClientId = Guid.CreateVersion7();
    private static readonly Guid Live = Guid.CreateVersion7();

    private static ClientEnrolled Enrolled() =>
        new(ClientId, Guid.CreateVersion7(), "acme", 123456789, "public-key", "fingerprint", "hash", "desk@acme", null, null, Sam, T0);

    private static Client Given(params object[] events) => events.Aggregate((Client?)null, Client.Evolve)!;

    public static TheoryData<string, object[], ClientCommand, object[], string?> Table => new()
    {
        { "terminate a live session", [Enrolled()], new TerminateSession(Live), [new ClientSessionTerminated(ClientId, Live, Sam, T0)], null },
        { "terminate it again: no-op", [Enrolled(), new ClientSessionTerminated(ClientId, Live, Sam, T0)], new TerminateSession(Live), [], null },
        { "terminate on a removed client", [Enrolled(), new ClientRemoved(ClientId, Sam, T0)], new TerminateSession(Live), [], "client.removed" },
        { "revoke a token of the current epoch", [Enrolled()], new RevokeRememberToken("t1", 0), [new RememberTokenRevoked(ClientId, "t1", Sam, T0)], null },
        { "revoke a token nobody issued", [Enrolled()], new RevokeRememberToken("nope", null), [], "token.unknown" },
        { "revoke an already revoked token: no-op", [Enrolled(), new RememberTokenRevoked(ClientId, "t1", Sam, T0)], new RevokeRememberToken("t1", 0), [], null },
        { "revoke a token cleared with its epoch: no-op", [Enrolled(), new TokensCleared(ClientId, 1, Sam, T0)], new RevokeRememberToken("t1", 0), [], null },
        {
            "revoke again after a clear and a new token under the new epoch",
            [Enrolled(), new RememberTokenRevoked(ClientId, "t1", Sam, T0), new TokensCleared(ClientId, 1, Sam, T0)],
            new RevokeRememberToken("t2", 1), [new RememberTokenRevoked(ClientId, "t2", Sam, T0)], null
        },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide(string scenario, object[] given, ClientCommand when, object[] then, string? refusal)
    {
        var decision = ClientDecider.Decide(when, Given(given), Sam, T0);

        Assert.True(refusal == decision.Refusal?.Code, $"{scenario}: refusal {decision.Refusal?.Code ?? "none"}, expected {refusal ?? "none"}");
        Assert.Equal(then, decision.Events);
    }

    [Fact]
    public void Revoked_tokens_are_bounded_then_clear_all_is_the_way()
    {
        var events = new List<object> { Enrolled() };
        events.AddRange(Enumerable.Range(0, ClientDecider.MaxRevokedTokens).Select(i => new RememberTokenRevoked(ClientId, $"t{i}", Sam, T0)));
        var full = Given([.. events]);

        var refused = ClientDecider.Decide(new RevokeRememberToken("one-more", 0), full, Sam, T0);
        var cleared = Client.Evolve(full, new TokensCleared(ClientId, 1, Sam, T0))!;

        Assert.Equal("token.too_many_revoked", refused.Refusal?.Code);
        Assert.Contains("control tokens clear", refused.Refusal!.Message, StringComparison.Ordinal);
        Assert.Empty(cleared.RevokedTokenIds);
        Assert.Single(ClientDecider.Decide(new RevokeRememberToken("one-more", 1), cleared, Sam, T0).Events);
    }

    [Fact]
    public void Terminated_sessions_keep_the_latest_hundred_and_each_changes_the_policy_version()
    {
        var ids = Enumerable.Range(0, ClientDecider.MaxTerminatedSessions + 5).Select(_ => Guid.CreateVersion7()).ToList();
        var start = Given(Enrolled());

        var state = ids.Aggregate(start, (s, id) => Client.Evolve(s, new ClientSessionTerminated(ClientId, id, Sam, T0))!);

        Assert.Equal(ids.Skip(5), state.TerminatedSessions);
        Assert.Equal(start.PolicyRevision + ids.Count, state.PolicyRevision);
    }

    [Fact]
    public void Composer_lists_terminated_sessions_revoked_tokens_and_the_session_settings()
    {
        var client = Given(
            Enrolled(), new ClientSessionTerminated(ClientId, Live, Sam, T0), new RememberTokenRevoked(ClientId, "beef", Sam, T0),
            new RememberTokenRevoked(ClientId, "abba", Sam, T0));
        var organization = new OrganizationPolicyContext("acme", true, 3, [], null, [], new SessionSettings(RequireJustification: true, RecordShellSessions: false));

        var policy = PolicyComposer.Compose(client, organization, null, T0);

        Assert.Equal([Live], policy.TerminatedSessions);
        Assert.Equal(["abba", "beef"], policy.RevokedTokenIds);
        Assert.Equal(new PolicySessionSettings(true, false), policy.Sessions);
        Assert.Equal(client.PolicyRevision + 3, policy.Version);
        var afterClear = PolicyComposer.Compose(Client.Evolve(client, new TokensCleared(ClientId, 1, Sam, T0))!, organization, null, T0);
        Assert.Empty(afterClear.RevokedTokenIds);
        Assert.Equal(1, afterClear.TokenEpoch);
        Assert.True(afterClear.Version > policy.Version);
    }

    [Fact]
    public void Composer_of_an_organization_with_default_settings_asks_no_justification_and_records_shells()
    {
        var policy = PolicyComposer.Compose(Given(Enrolled()), new OrganizationPolicyContext("acme", true, 1, [], null, [], SessionSettings.Default), null, T0);

        Assert.Equal(new PolicySessionSettings(RequireJustification: false, RecordShellSessions: true), policy.Sessions);
        Assert.Empty(policy.TerminatedSessions);
        Assert.Empty(policy.RevokedTokenIds);
    }
}
