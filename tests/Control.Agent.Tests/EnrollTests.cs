using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Xunit.Abstractions;

namespace Control.Agent.Tests;

public sealed class EnrollTests(ITestOutputHelper log) : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly AgentHarness _harness = new(log);

    private string KeyFile => Path.Combine(_harness.StateDirectory, "agent.key");

    private string EnrolmentFile => Path.Combine(_harness.StateDirectory, "agent.json");

    [Fact]
    public async Task Enroll_WritesPrivateKeyAndEnrolmentOwnerOnlyAndPinsThePolicyKey()
    {
        var result = await _harness.EnrollAsync();

        var fingerprint = PolicySignature.Fingerprint(_harness.Api.EnrolledPublicKey!);
        Assert.Contains($"Enrolled as 123456789 (kiosk1@acme), key fingerprint {fingerprint}", result.Output, StringComparison.Ordinal);
        Assert.Contains("control-agent run", result.Output, StringComparison.Ordinal);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(EnrolmentFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_harness.StateDirectory));
        Assert.False(File.Exists(KeyFile + ".pending"));

        // agent.key is the private half of the key the server was given.
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(KeyFile));
        Assert.Equal(_harness.Api.EnrolledPublicKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);

        var request = _harness.Api.LastEnrollRequest!;
        Assert.Equal(FakeControlApi.LicenseKey, request.Token);
        Assert.Equal("kiosk1", request.Alias);
        Assert.Equal(Environment.MachineName, request.Hostname);

        using var enrolment = JsonDocument.Parse(File.ReadAllText(EnrolmentFile));
        var root = enrolment.RootElement;
        Assert.Equal(_harness.Api.ClientId, root.GetProperty("clientId").GetGuid());
        Assert.Equal(_harness.Api.Credential, root.GetProperty("credential").GetString());
        Assert.Equal(_harness.OrganizationPublicKey, root.GetProperty("policyPublicKey").GetString());
        Assert.Equal(_harness.Api.Url, root.GetProperty("server").GetString());
        Assert.Equal("kiosk1@acme", root.GetProperty("alias").GetString());

        Assert.DoesNotContain(_harness.Api.Credential, result.Output + result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.Output + result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_OverAnExistingEnrolment_IsRefusedUnlessForced()
    {
        await _harness.EnrollAsync();
        var enrolmentBefore = File.ReadAllBytes(EnrolmentFile);
        var keyBefore = File.ReadAllBytes(KeyFile);
        File.WriteAllText(_harness.PolicyFile, "{}");

        var refused = await _harness.RunAsync("enroll", "--no-login-account", "--server", _harness.Api.Url, "--token", FakeControlApi.LicenseKey);
        Assert.True(refused.Code == 1, refused.ToString());
        Assert.Contains("already enrolled as 123456789 (kiosk1@acme)", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(enrolmentBefore, File.ReadAllBytes(EnrolmentFile));
        Assert.Equal(keyBefore, File.ReadAllBytes(KeyFile));

        _harness.Api.ClientId = Guid.CreateVersion7();
        _harness.Api.ClientNumber = "987654321";
        var forced = await _harness.RunAsync("enroll", "--no-login-account", "--server", _harness.Api.Url, "--token", FakeControlApi.LicenseKey, "--force");
        Assert.True(forced.Code == 0, forced.ToString());
        Assert.Contains("Enrolled as 987654321 (acme)", forced.Output, StringComparison.Ordinal);
        Assert.NotEqual(keyBefore, File.ReadAllBytes(KeyFile));
        Assert.False(File.Exists(_harness.PolicyFile), "the old client's policy cache must go with it");
    }

    public static TheoryData<HttpStatusCode, string, string> Refusals => new()
    {
        {
            HttpStatusCode.Unauthorized,
            """{"status":401,"title":"Enrolment refused.","detail":"The license key or registration token is not valid (wrong, reset or rotated).","code":"enrolment.token_invalid"}""",
            "error: enrolment refused: Enrolment refused: The license key or registration token is not valid (wrong, reset or rotated); check the license key"
        },
        {
            HttpStatusCode.Conflict,
            """{"status":409,"title":"Conflict.","detail":"The alias kiosk1@acme is already in use.","code":"client.alias_taken"}""",
            "The alias kiosk1@acme is already in use; choose another --alias"
        },
        {
            HttpStatusCode.BadRequest,
            """{"status":400,"title":"One or more validation errors occurred.","errors":{"publicKey":["The public key must be an ECDSA P-256 key."],"hostname":["Too long."]}}""",
            "(publicKey: The public key must be an ECDSA P-256 key; hostname: Too long)"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Enroll_RefusedByTheServer_ExitsOneWithOneLineAndSavesNothing(HttpStatusCode status, string problem, string expected)
    {
        _harness.Api.EnrollAnswer = _ => (status, JsonDocument.Parse(problem).RootElement.Clone());

        var result = await _harness.RunAsync("enroll", "--no-login-account", "--server", _harness.Api.Url, "--token", "ctl-lic.acme.wrong", "--alias", "kiosk1");

        Assert.True(result.Code == 1, result.ToString());
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.Single(result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" at ", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_harness.StateDirectory), f => Path.GetFileName(f).StartsWith("agent.key", StringComparison.Ordinal));
        Assert.False(File.Exists(EnrolmentFile));
    }

    [Fact]
    public async Task Enroll_ServerRecordsAnotherKeyFingerprint_IsRefused()
    {
        _harness.Api.EnrollAnswer = request => (HttpStatusCode.OK, new EnrollResponse(
            _harness.Api.ClientId, "123456789", "acme", null, _harness.Api.Credential, _harness.OrganizationPublicKey, new string('0', 64)));

        var result = await _harness.RunAsync("enroll", "--no-login-account", "--server", _harness.Api.Url, "--token", FakeControlApi.LicenseKey);

        Assert.True(result.Code == 1, result.ToString());
        Assert.Contains("the server recorded key fingerprint 0000", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(EnrolmentFile));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task Enroll_TokenFromStandardInput_IsSent()
    {
        var result = await AgentProcess.RunAsync(FakeControlApi.LicenseKey + "\n",
            "enroll", "--no-login-account", "--server", _harness.Api.Url, "--token-file", "-", "--state-dir", _harness.StateDirectory);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(FakeControlApi.LicenseKey, _harness.Api.LastEnrollRequest!.Token);
        Assert.Null(_harness.Api.LastEnrollRequest.Alias);
    }

    [Fact]
    public async Task Enroll_PlainHttpToAnotherMachine_IsRefusedBeforeAnythingIsSent()
    {
        var result = await _harness.RunAsync("enroll", "--no-login-account", "--server", "http://control.example.com", "--token", FakeControlApi.LicenseKey);

        Assert.True(result.Code == 1, result.ToString());
        Assert.Contains("use https", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task Enroll_ServerUnreachable_ExitsOneWithoutStackTrace()
    {
        _harness.Api.Stop();

        var result = await _harness.RunAsync("enroll", "--no-login-account", "--server", _harness.Api.Url, "--token", FakeControlApi.LicenseKey);

        Assert.True(result.Code == 1, result.ToString());
        Assert.StartsWith($"error: cannot reach the server at {_harness.Api.Url}", result.Errors, StringComparison.Ordinal);
        Assert.Single(result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(KeyFile + ".pending"));
    }

    public void Dispose() => _harness.Dispose();
}
