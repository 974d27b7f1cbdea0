using System.Text.Json;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Xunit.Abstractions;

namespace Control.Agent.Tests;

public sealed class StatusTests(ITestOutputHelper log) : IDisposable
{
    private readonly AgentHarness _harness = new(log);

    [Fact]
    public async Task Status_NotEnrolled_ExitsOneWithTheNextStep()
    {
        var result = await _harness.RunAsync("status");

        Assert.True(result.Code == 1, result.ToString());
        Assert.StartsWith("not enrolled: run control-agent enroll --server URL --token TOKEN", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NotEnrolled_ExitsOneWithTheNextStep()
    {
        var result = await _harness.RunAsync("run");

        Assert.True(result.Code == 1, result.ToString());
        Assert.StartsWith("not enrolled: run control-agent enroll --server URL --token TOKEN", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsTheSettingsInForce()
    {
        await _harness.EnrollAsync();
        var policy = _harness.Policy(9, "alice@acme", "*@acme") with
        {
            Unattended = new PolicyUnattended(true, true, new PolicyScramVerifier("c2FsdA==", 600000, "c3RvcmVk", "c2VydmVy")),
            TwoFactor = new PolicyTwoFactor(true, "SHA1", 6, 30, "ZW5jcnlwdGVk"),
            TokenEpoch = 4,
        };
        WriteCache(_harness.Sign(policy));

        var human = await _harness.RunAsync("status");
        Assert.True(human.Code == 0, human.ToString());
        Assert.Matches(@"client\s+123456789 \(id ", human.Output);
        Assert.Matches(@"alias\s+kiosk1@acme", human.Output);
        Assert.Matches(@"policy\s+v9, issued 2026-11-25T10:00:00Z, signature verified", human.Output);
        Assert.Matches(@"acl\s+on: \*@acme, alice@acme", human.Output);
        Assert.Matches(@"unattended\s+on, exclusive, password set", human.Output);
        Assert.Matches(@"token epoch\s+4", human.Output);
        Assert.Matches(@"2fa\s+on \(TOTP SHA1, 6 digits, 30 s\)", human.Output);
        Assert.Matches(@"permissions\s+exec yes, shell no, file transfer yes", human.Output);
        Assert.Matches(@"agent\s+never started", human.Output);
        Assert.DoesNotContain(_harness.Api.Credential, human.Output, StringComparison.Ordinal);

        var json = await _harness.StatusAsync();
        var shown = json.GetProperty("policy");
        Assert.Equal(9, shown.GetProperty("version").GetInt64());
        Assert.True(shown.GetProperty("unattended").GetProperty("exclusive").GetBoolean());
        Assert.True(shown.GetProperty("unattended").GetProperty("passwordSet").GetBoolean());
        Assert.True(shown.GetProperty("twoFactor").GetProperty("enabled").GetBoolean());
        Assert.Equal(4, shown.GetProperty("tokenEpoch").GetInt64());
        Assert.Equal("kiosk1@acme", json.GetProperty("alias").GetString());
        Assert.Equal(PolicySignature.Fingerprint(_harness.OrganizationPublicKey), json.GetProperty("policyKeyFingerprint").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("policyError").ValueKind);
        Assert.DoesNotContain(_harness.Api.Credential, json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CacheOfTheOneDocumentFormat_IsNotEnforced_AndSaysItIsFromAnOlderRelease()
    {
        await _harness.EnrollAsync();
        File.WriteAllText(_harness.PolicyFile, """{ "policy": { "schema": "control.policy/v1", "version": 9 }, "signature": "AAAA", "keyId": "k" }""");

        var human = await _harness.RunAsync("status");
        Assert.True(human.Code == 1, human.ToString());
        Assert.Contains("older release (control.policy/v1)", human.Errors + human.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("tampered", human.Errors + human.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string> Tampering => ["flipped-permission", "raised-version", "signed-by-another-key", "not-json"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Status_TamperedCache_IsReportedAndExitsOne(string tampering)
    {
        await _harness.EnrollAsync();
        WriteCache(_harness.Sign(_harness.Policy(9)));
        Assert.Equal(0, (await _harness.RunAsync("status")).Code);

        var text = File.ReadAllText(_harness.PolicyFile);
        using var impostor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var tampered = tampering switch
        {
            "flipped-permission" => text.Replace("\"shell\": false", "\"shell\": true", StringComparison.Ordinal),
            "raised-version" => text.Replace("\"revision\": 9", "\"revision\": 99", StringComparison.Ordinal),
            "signed-by-another-key" => Serialize(_harness.Sign(_harness.Policy(9), impostor)),
            _ => text[..(text.Length / 2)],
        };
        Assert.NotEqual(text, tampered);
        File.WriteAllText(_harness.PolicyFile, tampered);

        var human = await _harness.RunAsync("status");
        Assert.True(human.Code == 1, human.ToString());
        Assert.Contains("tampered or corrupt", human.Errors, StringComparison.Ordinal);
        Assert.Matches(@"policy\s+REFUSED", human.Output);

        var json = await _harness.RunAsync("status", "--json");
        Assert.True(json.Code == 1, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("policy").ValueKind);
        Assert.Contains("tampered or corrupt", document.RootElement.GetProperty("policyError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TamperedCache_IsNotEnforcedAndAFreshPolicyIsFetched()
    {
        await _harness.EnrollAsync();
        WriteCache(_harness.Sign(_harness.Policy(9)));
        File.WriteAllText(_harness.PolicyFile, File.ReadAllText(_harness.PolicyFile).Replace("\"exec\": true", "\"exec\": false", StringComparison.Ordinal));
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(9)));

        var agent = _harness.StartAgent();

        await agent.WaitForErrorAsync("cached policy refused");
        await agent.WaitForOutputAsync("no policy yet"); // stdout and stderr are read apart: the refusal can arrive first
        await agent.WaitForOutputAsync("policy v9 applied");
        Assert.True(_harness.CachedPolicy().Policy.Permissions.Exec);
        Assert.Equal(0, (await _harness.RunAsync("status")).Code);
    }

    private static readonly JsonSerializerOptions Indented = new(PolicySignature.Json) { WriteIndented = true };

    private void WriteCache(SignedPolicy signed) => File.WriteAllText(_harness.PolicyFile, JsonSerializer.Serialize(signed, Indented));

    private static string Serialize(SignedPolicy signed) => JsonSerializer.Serialize(signed, PolicySignature.Json);

    public void Dispose() => _harness.Dispose();
}
