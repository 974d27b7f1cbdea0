using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Viewer.Commands.Audit;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control audit verify</c> and <c>control audit anchor</c> against a scripted server: messages and exit codes.</summary>
public sealed class AuditChainCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Head = new('a', 64);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    private AuditAnchor Anchor(long entry = 41) => AuditAnchorSignature.Sign("acme", entry, Head, Now, _key, "key1", PublicKey);

    private static TestConsole SignedIn() => TestConsole.SignedIn(Now, "audrey", "auditor");

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    [Fact]
    public async Task Verify_Intact_PrintsEntriesAndHeadAndExitsZero()
    {
        using var console = SignedIn();
        console.Server.On("GET /audit/verify", HttpStatusCode.OK, Json(new AuditChainVerification("acme", true, 42, Head, null, null, 0.01)));

        Assert.Equal(0, await console.RunAsync("audit", "verify"));

        Assert.Equal($"intact: 42 entries, head {Head}", console.Out.Trim());
    }

    [Fact]
    public async Task Verify_Broken_PrintsTheFirstBrokenLinkAndExitsThree()
    {
        using var console = SignedIn();
        var broken = new AuditChainBreak(7, AuditChainProblems.Edited, ["headers"], 1234, Guid.NewGuid(), "OperatorDisabled", Guid.NewGuid(), Now, null,
            "entry 7 (sequence 1234, OperatorDisabled, ...): edited in the database; fields that differ: headers");
        console.Server.On("GET /audit/verify", HttpStatusCode.OK, Json(new AuditChainVerification("acme", false, 6, null, broken, null, 0.01)));

        Assert.Equal(VerifyCommand.BrokenExitCode, await console.RunAsync("audit", "verify"));

        Assert.Contains("BROKEN at entry 7 (edited): entry 7 (sequence 1234", console.Out, StringComparison.Ordinal);
        Assert.Contains("fields that differ: headers", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anchor_Output_SavesTheSignedAnchorThatVerifyAnchorThenSends()
    {
        using var console = SignedIn();
        var file = Path.Combine(console.ConfigDirectory, "anchor.json");
        console.Server.On("GET /audit/anchor", HttpStatusCode.OK, Json(Anchor()));

        Assert.Equal(0, await console.RunAsync("audit", "anchor", "--output", file));
        Assert.Contains($"entry 41, head {Head}", console.Out, StringComparison.Ordinal);

        console.Server.On("GET /audit/anchor", HttpStatusCode.OK, Json(Anchor(50)));
        console.Server.On("GET /audit/verify", HttpStatusCode.OK, Json(new AuditChainVerification(
            "acme", true, 50, new string('b', 64), null, new AuditAnchorCheck(41, Head, true, "entry 41 still has the anchored hash"), 0.01)));
        var exitCode = await console.RunAsync("audit", "verify", "--anchor", file);
        Assert.True(exitCode == 0, console.Error + console.Out);
        Assert.Equal($"?anchorEntry=41&anchorHash={Head}", console.Server.Requests[^1].Query);
        Assert.Contains("anchor: entry 41 still has the anchored hash", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAnchor_AlteredFile_IsBrokenWithoutAskingForTheChain()
    {
        using var console = SignedIn();
        var file = Path.Combine(console.ConfigDirectory, "anchor.json");
        await File.WriteAllTextAsync(file, Json(Anchor() with { Entry = 40 }));
        console.Server.On("GET /audit/anchor", HttpStatusCode.OK, Json(Anchor(50)));

        Assert.Equal(VerifyCommand.BrokenExitCode, await console.RunAsync("audit", "verify", "--anchor", file));

        Assert.Contains("signature does not verify", console.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(console.Server.Requests, r => r.Route.Contains("verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAnchor_NotAnAnchor_IsAReadableError()
    {
        using var console = SignedIn();
        var file = Path.Combine(console.ConfigDirectory, "anchor.json");
        await File.WriteAllTextAsync(file, "{\"hello\": 1}");

        Assert.Equal(1, await console.RunAsync("audit", "verify", "--anchor", file));

        Assert.Contains("is not an anchor", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _key.Dispose();
}
