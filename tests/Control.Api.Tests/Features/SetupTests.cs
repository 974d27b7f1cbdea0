using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>First start on an empty database: the bootstrap token, then the first organization. Own database and host.</summary>
[Collection("api")]
public class SetupTests
{
    [Fact]
    public async Task Bootstrap_token_creates_the_first_organization_once()
    {
        await using var database = await TestDatabase.Create("setup");
        var dataDirectory = ApiHost.NewTempDirectory();
        var masterKey = ApiHost.NewMasterKey();
        var tokenPath = Path.Combine(dataDirectory, "bootstrap-token");

        string token;
        await using (var first = await ApiHost.Start(database.ConnectionString, dataDirectory, masterKey, new LogCapture()))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenPath));
            token = (await File.ReadAllTextAsync(tokenPath)).Trim();
        }

        // A restart before setup keeps the same token.
        await using var host = await ApiHost.Start(database.ConnectionString, dataDirectory, masterKey, new LogCapture());
        Assert.Equal(token, (await File.ReadAllTextAsync(tokenPath)).Trim());
        var client = new Client(host);

        var invalid = await Client.Problem(await client.Post("/setup", new SetupRequest(token, "No", "", "Bad Name", "short")), HttpStatusCode.BadRequest);
        Assert.Equal(["name", "ownerPassword", "ownerUsername", "slug"], invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        var weak = await Client.Problem(await client.Post("/setup", new SetupRequest(token, "acme", "Acme", "alice", "password123456")), HttpStatusCode.BadRequest);
        Assert.Contains("common", weak.GetProperty("errors").GetProperty("ownerPassword")[0].GetString(), StringComparison.Ordinal);
        await Client.Problem(await client.Post("/setup", new SetupRequest("not-the-token", "acme", "Acme", "alice", ApiFixture.Password)), HttpStatusCode.Forbidden);
        Assert.Equal(0, await database.Scalar("select count(*) from control.mt_events"));

        var created = await client.PostOk<SetupResponse>("/setup", new SetupRequest(token, "acme", "Acme Inc.", "alice", ApiFixture.Password));
        Assert.Equal("acme", created.Slug);
        Assert.False(File.Exists(tokenPath));
        await Client.Problem(await client.Post("/setup", new SetupRequest(token, "other", "Other", "alice", ApiFixture.Password)), HttpStatusCode.Forbidden);

        var owner = await client.Login("acme", "alice", ApiFixture.Password);
        Assert.Equal("owner", owner.Operator.Role);
        var events = await client.As(owner.AccessToken).GetOk<AuditEventPage>("/audit/events?type=OrganizationCreated,OperatorRegistered");
        Assert.All(events.Items, e => Assert.Equal("system:bootstrap", e.Actor));
        Assert.All(events.Items, e => Assert.Equal("[redacted]", e.Type == "OperatorRegistered" ? e.Data.GetProperty("passwordHash").GetString() : "[redacted]"));
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Health_and_openapi_answer_without_authentication()
    {
        await using var database = await TestDatabase.Create("health");
        var dataDirectory = ApiHost.NewTempDirectory();
        await using var host = await ApiHost.Start(database.ConnectionString, dataDirectory, ApiHost.NewMasterKey(), new LogCapture());
        var client = new Client(host);

        Assert.Equal(HttpStatusCode.OK, (await client.Get("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/health/ready")).StatusCode);
        var openApi = await client.Get("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = await openApi.Content.ReadAsStringAsync();
        Assert.Contains("/auth/login", document, StringComparison.Ordinal);
        Assert.Contains("/operators/{id}/disable", document, StringComparison.Ordinal);

        // Ready means the database answers: cut it off and readiness fails while liveness holds.
        await database.ExecuteAsAdmin($"alter database \"{database.Name}\" with allow_connections false");
        await database.ExecuteAsAdmin($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database.Name}' and pid <> pg_backend_pid()");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.Get("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/health/live")).StatusCode);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
