using System.Diagnostics;
using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Security;
using OtpNet;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class PolicyTests(ApiFixture api)
{
    [Fact]
    public async Task Settings_changes_become_a_newer_signed_policy_and_an_unchanged_one_is_304()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("pc1");
        var first = await agent.Policy();
        Assert.Equal(HttpStatusCode.NotModified, (await agent.Http.Get("/agent/policy", first.Policy.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);

        await org.Change(agent, "acl-enable", new ClientChangeRequest("lock down"));
        await org.Change(agent, "acl-add", new ClientChangeRequest("support team", Entry: $"*-support@{org.Slug}"));
        await org.Change(agent, "permissions", new ClientChangeRequest("no shells", Exec: true, Shell: false, FileTransfer: false));
        await org.Change(agent, "tokens-clear", new ClientChangeRequest("laptop stolen"));

        var policy = (await agent.Policy()).Policy;
        Assert.True(policy.Version > first.Policy.Version);
        Assert.True(policy.Acl.Enabled);
        Assert.Equal([$"*-support@{org.Slug}"], policy.Acl.Entries);
        Assert.Equal((true, false, false), (policy.Permissions.Exec, policy.Permissions.Shell, policy.Permissions.FileTransfer));
        Assert.Equal(["control-session"], policy.Permissions.Logins);
        Assert.Equal(1, policy.TokenEpoch);
    }

    [Fact]
    public async Task A_generated_unattended_password_is_shown_once_and_only_its_scram_verifier_reaches_the_agent()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        await org.Change(agent, "unattended-enable", new ClientChangeRequest("remote support"));
        var rotated = await org.Change(agent, "unattended-password", new ClientChangeRequest("initial password"));
        Assert.NotNull(rotated.RevealedPassword);

        var policy = (await agent.Policy()).Policy;
        var verifier = policy.Unattended.Verifier!;
        Assert.True(verifier.Iterations >= Scram.MinimumIterations);
        Assert.DoesNotContain(rotated.RevealedPassword!, System.Text.Json.JsonSerializer.Serialize(policy), StringComparison.Ordinal);

        // A full SCRAM exchange with the revealed password succeeds against the verifier the agent holds.
        var domainVerifier = new ScramVerifier(verifier.Salt, verifier.Iterations, verifier.StoredKey, verifier.ServerKey);
        var auth = Scram.AuthMessage("n=*,r=abc", "r=abcdef,s=" + verifier.Salt + ",i=" + verifier.Iterations, "c=biws,r=abcdef");
        var salted = Scram.SaltedPassword(rotated.RevealedPassword!, Convert.FromBase64String(verifier.Salt), verifier.Iterations);
        Assert.True(Scram.VerifyClientProof(domainVerifier, auth, Scram.ClientProof(salted, auth)));

        var revealed = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=SecretRevealed,UnattendedPasswordSet&stream=" + agent.Enrolment.ClientId);
        Assert.Equal(["SecretRevealed", "UnattendedPasswordSet"], revealed.Items.Select(e => e.Type).ToArray());
        Assert.Equal("[redacted]", revealed.Items[1].Data.GetProperty("verifier").GetString());

        var exclusive = await org.Change(agent, "unattended-exclusive", new ClientChangeRequest("only the password", Exclusive: true));
        Assert.True(exclusive.Changed);
        Assert.True((await agent.Policy()).Policy.Unattended.Exclusive);
    }

    [Fact]
    public async Task Client_two_factor_seed_reaches_only_the_agent_encrypted_to_its_key()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var enrolment = await org.Owner.PostOk<ClientTwoFactorEnrollmentResponse>($"/clients/{agent.Enrolment.ClientId}/2fa/enroll", new ReasonRequest("2fa for unattended"));
        var seed = Base32Encoding.ToBytes(enrolment.Secret);
        await Client.Problem(await org.Owner.Post($"/clients/{agent.Enrolment.ClientId}/2fa/confirm", new ClientChangeRequest("confirm", Code: "000000")), HttpStatusCode.BadRequest);
        await org.Owner.PostOk<ClientChangeResponse>($"/clients/{agent.Enrolment.ClientId}/2fa/confirm", new ClientChangeRequest("confirm", Code: new Totp(seed).ComputeTotp()));

        var twoFactor = (await agent.Policy()).Policy.TwoFactor;
        Assert.True(twoFactor.Enabled);
        Assert.Equal(seed, agent.DecryptTotpSeed(twoFactor.EncryptedSecret!));
        using var stranger = new TestAgent();
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
        {
            using var ecdh = System.Security.Cryptography.ECDiffieHellman.Create(stranger.Key.ExportParameters(true));
            PolicySecrets.Decrypt(ecdh, twoFactor.EncryptedSecret!, PolicySecrets.TotpContext(agent.Enrolment.ClientId));
        });
    }

    [Fact]
    public async Task Long_poll_on_one_api_process_wakes_when_another_process_commits_a_change()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        await using var second = await ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), api.MasterKey, new LogCapture());
        var onSecond = agent.On(new Client(second));
        var current = await onSecond.Policy();

        var watch = Stopwatch.StartNew();
        var poll = onSecond.Http.Get("/agent/policy?wait=30", current.Policy.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Task.Delay(300);
        Assert.False(poll.IsCompleted, "the long poll answered before anything changed");
        await org.Change(agent, "acl-add", new ClientChangeRequest("new technician", Entry: $"carol@{org.Slug}"));
        var response = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        watch.Stop();

        var signed = await Client.Read<SignedPolicy>(response, HttpStatusCode.OK);
        Assert.True(PolicySignature.Verify(signed, agent.Enrolment.PolicyPublicKey));
        Assert.Contains($"carol@{org.Slug}", signed.Policy.Acl.Entries);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task One_organization_wide_acl_change_wakes_every_agent_with_a_new_policy()
    {
        var org = await api.NewOrganization();
        using var a = await org.Agent();
        using var b = await org.Agent();
        await org.Change(b, "acl-add", new ClientChangeRequest("own entry", Entry: $"dave@{org.Slug}"));
        await using var second = await ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), api.MasterKey, new LogCapture());
        var agents = new[] { a, b.On(new Client(second)) };
        var versions = new List<long>();
        foreach (var agent in agents)
        {
            versions.Add((await agent.Policy()).Policy.Version);
        }

        var polls = agents.Select((agent, i) => agent.Http.Get("/agent/policy?wait=30", versions[i].ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await Task.Delay(300);
        var added = await org.Owner.Post("/organization/acl/add", new ClientChangeRequest("support everywhere", Entry: $"*-support@{org.Slug}"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);

        var policies = new List<ClientPolicy>();
        foreach (var (poll, agent) in polls.Zip(agents))
        {
            var signed = await Client.Read<SignedPolicy>(await poll.WaitAsync(TimeSpan.FromSeconds(10)), HttpStatusCode.OK);
            Assert.True(PolicySignature.Verify(signed, agent.Enrolment.PolicyPublicKey));
            policies.Add(signed.Policy);
        }

        Assert.Equal([$"*-support@{org.Slug}"], policies[0].Acl.Entries);
        Assert.Equal([$"*-support@{org.Slug}", $"dave@{org.Slug}"], policies[1].Acl.Entries);
        Assert.All(policies.Zip(versions), p => Assert.True(p.First.Version > p.Second));

        var listed = await org.Owner.GetOk<OrganizationAclView>("/organization/acl");
        Assert.Equal([$"*-support@{org.Slug}"], listed.Entries);
        var removed = await org.Owner.PostOk<OrganizationAclView>(
            "/organization/acl/remove", new ClientChangeRequest("support leaves", listed.Version, Entry: $"*-support@{org.Slug}"));
        Assert.True(removed.Changed);
        Assert.Empty(removed.Entries);
        await Client.Problem(await org.Owner.Post("/organization/acl/add", new ClientChangeRequest("stale", listed.Version, Entry: "x@y-z")), HttpStatusCode.Conflict);

        await Client.Problem(await org.Owner.Post("/organization/acl/add", new ClientChangeRequest("x", Entry: "*")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/organization/acl/frob", new ClientChangeRequest("x", Entry: "a@b-c")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stale_version_is_a_conflict_and_changes_nothing()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var detail = await org.Owner.GetOk<ClientDetail>($"/clients/{agent.Enrolment.ClientNumber}");
        var seen = detail.Summary.Version;
        await org.Owner.PostOk<ClientChangeResponse>($"/clients/{agent.Enrolment.ClientId}/acl-enable", new ClientChangeRequest("first", seen));
        await Client.Problem(await org.Owner.Post($"/clients/{agent.Enrolment.ClientId}/acl-add", new ClientChangeRequest("second", seen, Entry: "bob@x-y")), HttpStatusCode.Conflict);
        Assert.Empty((await agent.Policy()).Policy.Acl.Entries);
    }

    [Fact]
    public async Task Invalid_changes_are_refused_with_field_errors_and_append_nothing()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var id = agent.Enrolment.ClientId;
        var before = await api.Database.Scalar($"select count(*) from control.mt_events where stream_id = '{id}'");

        await Client.Problem(await org.Owner.Post($"/clients/{id}/frobnicate", new ClientChangeRequest("x")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post($"/clients/{id}/acl-enable", new ClientChangeRequest("")), HttpStatusCode.BadRequest);
        var entry = await Client.Problem(await org.Owner.Post($"/clients/{id}/acl-add", new ClientChangeRequest("x", Entry: "alice@*")), HttpStatusCode.BadRequest);
        Assert.True(entry.GetProperty("errors").TryGetProperty("entry", out _));
        var everyone = await Client.Problem(await org.Owner.Post($"/clients/{id}/acl-add", new ClientChangeRequest("x", Entry: "*")), HttpStatusCode.BadRequest);
        Assert.Equal("acl.everyone_not_confirmed", everyone.GetProperty("code").GetString());
        await Client.Problem(await org.Owner.Post($"/clients/{id}/unattended-password", new ClientChangeRequest("x", Password: "password1234")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post($"/clients/{id}/unattended-exclusive", new ClientChangeRequest("x", Exclusive: true)), HttpStatusCode.Conflict);
        await Client.Problem(await org.Owner.Post($"/clients/{id}/permissions", new ClientChangeRequest("x", Exec: true)), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/clients/999999999/acl-enable", new ClientChangeRequest("x")), HttpStatusCode.NotFound);

        Assert.Equal(before, await api.Database.Scalar($"select count(*) from control.mt_events where stream_id = '{id}'"));
        var (_, technician) = await org.Operator("tech", "technician");
        await Client.Problem(await technician.Post($"/clients/{id}/acl-disable", new ClientChangeRequest("x")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bulk_change_by_tag_appends_one_event_per_client_under_one_correlation()
    {
        var org = await api.NewOrganization();
        using var a = await org.Agent();
        using var b = await org.Agent();
        using var c = await org.Agent();
        await org.Change(a, "tags", new ClientChangeRequest("kiosks", Tags: ["kiosk"]));
        await org.Change(b, "tags", new ClientChangeRequest("kiosks", Tags: ["Kiosk", "lobby"]));

        var bulk = await org.Owner.PostOk<BulkChangeResponse>("/clients/bulk/acl-add", new ClientChangeRequest("kiosk support", Entry: $"*@{org.Slug}", Tag: "kiosk"));
        Assert.Equal([a.Enrolment.ClientId, b.Enrolment.ClientId], bulk.Clients.Select(x => x.ClientId).Order().ToArray());
        var audit = await org.Owner.GetOk<AuditEventPage>($"/audit/events?correlation={bulk.CorrelationId}");
        Assert.Equal(2, audit.Items.Count(e => e.Type == "AclEntryAdded"));
        Assert.Empty((await c.Policy()).Policy.Acl.Entries);
        Assert.Contains($"*@{org.Slug}", (await b.Policy()).Policy.Acl.Entries);

        await Client.Problem(await org.Owner.Post("/clients/bulk/acl-add", new ClientChangeRequest("x", Entry: "a@b-c")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Signed_receipt_records_the_enforced_version()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var signed = await agent.Policy();
        var policy = signed.Policy;
        await Client.Problem(await agent.Http.Post("/agent/ack", agent.Receipt(signed) with { Signature = Convert.ToBase64String(new byte[64]) }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Post("/agent/ack", agent.Receipt(signed))).StatusCode);

        // Receipts are written in batches (about every second).
        var listed = await Eventually.Until(
            async () => Assert.Single(await org.Owner.GetOk<List<ClientSummary>>("/clients")), c => c.EnforcedPolicyVersion is not null,
            "the receipt recorded", TimeSpan.FromSeconds(10));

        Assert.Equal(policy.Version, listed.EnforcedPolicyVersion);
        Assert.NotNull(listed.LastSeenAt);
    }

    [Fact]
    public async Task Receipt_on_the_policy_request_records_the_enforced_version_and_a_forged_one_is_dropped()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        using var other = await org.Agent();
        var signed = await agent.Policy();
        var policy = signed.Policy;
        var etag = policy.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var receipt = agent.Receipt(signed);

        // Malformed: a clear 400 naming the header, and the poll does not happen.
        foreach (var malformed in new[]
        {
            "x", $"{policy.Version}", $"{policy.Version} {receipt.Signature}", receipt.HeaderValue.Replace($"{policy.Version} ", "-1 ", StringComparison.Ordinal),
            (receipt with { Version = receipt.Version + 1 }).HeaderValue, (receipt with { ClientDigest = "xyz" }).HeaderValue,
            receipt.HeaderValue.Replace(receipt.Signature, Convert.ToBase64String(new byte[10]), StringComparison.Ordinal),
        })
        {
            var problem = await Client.Problem(await agent.Http.Get("/agent/policy", etag, (PolicyAcknowledgement.Header, malformed)), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(PolicyAcknowledgement.Header, out _), problem.ToString());
        }

        // Well-formed but signed by another client's key: answered (the poll goes on), never recorded.
        var forgedFor = PolicyReceipts.Sign(other.Key, agent.Enrolment.ClientId, signed);
        Assert.Equal(HttpStatusCode.NotModified, (await agent.Http.Get("/agent/policy", etag, (PolicyAcknowledgement.Header, forgedFor.HeaderValue))).StatusCode);
        await Task.Delay(2500);
        var clients = await org.Owner.GetOk<List<ClientSummary>>("/clients");
        Assert.Null(clients.Single(c => c.Id == agent.Enrolment.ClientId).EnforcedPolicyVersion);

        // The agent's own receipt, on its next poll: recorded within the next batch (about a second).
        Assert.Equal(HttpStatusCode.NotModified, (await agent.Http.Get("/agent/policy", etag, (PolicyAcknowledgement.Header, receipt.HeaderValue))).StatusCode);
        var listed = await Eventually.Until(
            async () => (await org.Owner.GetOk<List<ClientSummary>>("/clients")).Single(c => c.Id == agent.Enrolment.ClientId),
            c => c.EnforcedPolicyVersion is not null, "the receipt recorded", TimeSpan.FromSeconds(10));

        Assert.Equal(policy.Version, listed.EnforcedPolicyVersion);
    }
}
