using System.Diagnostics;

namespace Control.Agent.Tests;

/// <summary>
/// ops/control-agent.service as systemd reads it: valid (systemd-analyze verify prints nothing), running the agent as
/// root so that it can switch each session to its login, and free of the hardening that sessions would inherit and that
/// would stop them (a read-only system, no setuid, an empty capability set).
/// </summary>
public class ServiceUnitTests
{
    private static readonly string Unit = File.ReadAllText(Path.Combine(Repository.Root, "ops", "control-agent.service"));

    [Fact]
    public void ServiceUnit_SystemdAnalyzeVerify_ReportsNothing()
    {
        var folder = Directory.CreateTempSubdirectory("control-unit-");
        try
        {
            // verify checks that ExecStart's program exists: point it at a stand-in.
            var program = Path.Combine(folder.FullName, "control-agent");
            File.Copy("/bin/true", program);
            var unit = Path.Combine(folder.FullName, "control-agent.service");
            File.WriteAllText(unit, Unit.Replace("/usr/local/bin/control-agent", program, StringComparison.Ordinal));

            var start = new ProcessStartInfo("systemd-analyze", ["verify", "--man=no", unit]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var verify = Process.Start(start)!;
            var output = verify.StandardOutput.ReadToEnd() + verify.StandardError.ReadToEnd();
            Assert.True(verify.WaitForExit(30_000));

            Assert.Equal(0, verify.ExitCode);
            Assert.Equal("", output.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("NoNewPrivileges=")]
    [InlineData("CapabilityBoundingSet=")]
    [InlineData("ProtectSystem=")]
    [InlineData("ProtectHome=")]
    [InlineData("PrivateTmp=")]
    [InlineData("RestrictSUIDSGID=")]
    [InlineData("SystemCallFilter=")]
    [InlineData("UMask=")]
    public void ServiceUnit_DoesNotSet_HardeningThatSessionsWouldInherit(string setting) =>
        Assert.DoesNotContain(Unit.Split('\n'), line => line.StartsWith(setting, StringComparison.Ordinal));

    [Fact]
    public void ServiceUnit_RunsAsRoot_WithItsStateOwnerOnly() =>
        Assert.Equal(["User=root", "StateDirectoryMode=0700", "RuntimeDirectory=control-agent"],
            Unit.Split('\n').Where(l => l is "User=root" or "StateDirectoryMode=0700" or "RuntimeDirectory=control-agent"));
}
