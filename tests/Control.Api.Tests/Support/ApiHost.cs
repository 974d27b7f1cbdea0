using System.Net;
using System.Security.Cryptography;
using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Control.Api.Tests.Support;

/// <summary>Boots the real API (Program) in-process against a real PostgreSQL database.</summary>
public static class ApiHost
{
    public const string TestSourceHeader = "X-Test-Source-Address";

    public static async Task<IAlbaHost> Start(
        string connectionString, string dataDirectory, string masterKey, LogCapture logs, int signInAttemptsPerMinute = 20,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        JasperFxEnvironment.AutoStartHost = true;
        return await AlbaHost.For<Program>(web =>
        {
            web.UseSetting("ConnectionStrings:Control", connectionString);
            web.UseSetting("Control:DataDirectory", dataDirectory);
            web.UseSetting("Control:MasterKey", masterKey);
            web.UseSetting("Control:AllowOrganizationCreation", "true");
            web.UseSetting("Control:AuditExportChunkRows", "3");
            web.UseSetting("Control:AuditVerifyRangeEntries", "4");
            // Every offboarding here takes its ACL step one client per transaction (the batches path, not only the last one).
            web.UseSetting("Control:OffboardingBatchSize", "1");
            // One ready: an offboarding rotating two passwords takes one from the pool and derives the other.
            web.UseSetting("Control:GeneratedPasswordPool", "1");
            web.UseSetting("Control:SignInAttemptsPerMinute", signInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            web.ConfigureServices(s => s.AddSingleton<IStartupFilter, SourceAddressFromHeader>());
        });
    }

    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "control-api-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The in-memory test server has no client address; tests choose one so per-address rate limits can be exercised.</summary>
    private sealed class SourceAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[TestSourceHeader].ToString(), out var address))
                {
                    http.Connection.RemoteIpAddress = address;
                }

                return following(http);
            });
            next(app);
        };
    }
}
