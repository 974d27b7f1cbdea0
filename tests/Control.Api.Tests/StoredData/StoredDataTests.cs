using System.Net;
using System.Text.Json.Nodes;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Client = Control.Api.Tests.Support.Client;

namespace Control.Api.Tests.StoredData;

/// <summary>
/// Event type names, document tables and stored messages are a permanent contract: a database an earlier build wrote
/// must load, replay and serve under this one. <c>control.sql.gz</c> beside this file is the database the API tests
/// of an earlier build left behind (their organizations, operators, clients, ACL changes, custom clients, people,
/// offboardings and sessions), written by
/// <c>CONTROL_TEST_KEEP_DATABASE=tests/Control.Api.Tests/StoredData ops/test --filter "FullyQualifiedName~Control.Api.Tests.Features"</c>;
/// it is never written again by a later build, or it would prove nothing.
/// </summary>
public sealed class StoredDataTests : IAsyncLifetime, IDisposable
{
    public const string DumpFile = "control.sql.gz";
    public const string MasterKeyFile = "master-key";

    /// <summary>The organizations whose audit chain a test of the earlier build broke on purpose (edited or deleted events).</summary>
    public const string TamperedFile = "tampered-organizations.txt";

    /// <summary>The stored documents a test of the earlier build edited on purpose (they differ from their events' replay).</summary>
    public const string EditedDocumentsFile = "edited-documents.txt";

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "StoredData");
    private readonly LogCapture _logs = new();
    private readonly string _data = ApiHost.NewTempDirectory();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create("stored");
        await PostgresTools.Restore(_database.ConnectionString, Path.Combine(Folder, DumpFile));
    }

    [Fact]
    public async Task ADatabaseOfAnEarlierBuild_LoadsEveryEvent_ReplaysToTheSameDocuments_AndIsServed()
    {
        var masterKey = (await File.ReadAllTextAsync(Path.Combine(Folder, MasterKeyFile))).Trim();
        await using var host = await ApiHost.Start(_database.ConnectionString, _data, masterKey, _logs, signInAttemptsPerMinute: 100_000);
        var store = host.Services.GetRequiredService<IDocumentStore>();

        // Every stored event still names a type this build reads.
        await using (var query = store.QuerySession())
        {
            var events = await query.Events.QueryAllRawEvents().Where(e => e.AnyTenant()).ToListAsync();
            Assert.True(events.Count > 1000, $"the dump holds {events.Count} events");
            var unreadable = events.Where(e => e.Data is null).Select(e => e.EventTypeName).Distinct().ToList();
            Assert.Empty(unreadable);
        }

        // Each organization's owner signs in (where a test left the owner able to) and reads what the earlier build wrote.
        // Its audit chain verifies as it did under that build: intact, or broken where a test tampered with the events.
        var intact = new HashSet<string>(StringComparer.Ordinal);
        var broken = new List<string>();
        foreach (var slug in await Slugs())
        {
            var owner = new Client(host);
            var login = await owner.Post("/auth/login", new LoginRequest(slug, slug == "root" ? "root" : "owner", ApiFixture.Password, null, null));
            if (login.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }

            owner.Token = (await Client.Read<TokenResponse>(login, HttpStatusCode.OK)).AccessToken;
            if (!(await owner.GetOk<AuditChainVerification>("/audit/verify")).Intact)
            {
                broken.Add(slug);
                continue;
            }

            intact.Add(slug);
            await owner.GetOk<List<ClientSummary>>("/clients");
            await owner.GetOk<AuditEventPage>("/audit/events");
            foreach (var offboarding in await owner.GetOk<List<OffboardingResponse>>("/offboardings"))
            {
                Assert.Equal(HttpStatusCode.OK, (await owner.Get($"/offboardings/{offboarding.Id}/report")).StatusCode);
            }
        }

        Assert.True(intact.Count >= 10, $"only {intact.Count} organizations were served");
        var tampered = (await File.ReadAllLinesAsync(Path.Combine(Folder, TamperedFile))).Where(l => l.Length > 0 && !l.StartsWith('#')).Order();
        Assert.True(tampered.SequenceEqual(broken.Order()), $"broken audit chains: {string.Join(' ', broken.Order())}; expected: {string.Join(' ', tampered)}");

        // Replaying each stream of those organizations gives the document the earlier build stored for it (but where a test
        // edited the stored document itself, to show that nothing trusts it).
        var differing = new List<string>();
        await Replays<Domain.Operators.Operator>(store, intact, differing, "mt_doc_operator");
        await Replays<Domain.Organizations.Organization>(store, intact, differing, "mt_doc_organization");
        await Replays<Domain.Clients.Client>(store, intact, differing, "mt_doc_client");
        await Replays<Domain.CustomClients.CustomClient>(store, intact, differing, "mt_doc_customclient");
        await Replays<Domain.Sessions.SessionSummary>(store, intact, differing, "mt_doc_sessionsummary");
        await Replays<Domain.People.Person>(store, intact, differing, "mt_doc_person");
        await Replays<Domain.Offboarding.Offboarding>(store, intact, differing, "mt_doc_offboarding");
        var edited = (await File.ReadAllLinesAsync(Path.Combine(Folder, EditedDocumentsFile))).Where(l => l.Length > 0 && !l.StartsWith('#')).Order();
        Assert.True(edited.SequenceEqual(differing.Order()), $"documents that differ from their replay: {string.Join(", ", differing.Order())}");

    }

    public void Dispose() => _logs.Dispose();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    // Every stored document of an aggregate, against the aggregate Marten builds from its stream's events now.
    private async Task Replays<T>(IDocumentStore store, HashSet<string> tenants, List<string> differing, string table)
        where T : class
    {
        var stored = new List<(string Tenant, Guid Id, string Data)>();
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select tenant_id, id, data::text from control.{table}", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetString(0), reader.GetGuid(1), reader.GetString(2)));
            }
        }

        Assert.True(stored.Count > 0, $"{table} is empty in the dump");
        foreach (var (tenant, id, data) in stored.Where(row => tenants.Contains(row.Tenant)))
        {
            await using var session = store.QuerySession(tenant);
            var replayed = await session.Events.AggregateStreamAsync<T>(id);
            Assert.True(replayed is not null, $"{table} {tenant}/{id} has no events to replay");
            var expected = JsonNode.Parse(data);
            var actual = JsonNode.Parse(store.Options.Serializer().ToJson(replayed));
            if (!JsonNode.DeepEquals(expected, actual))
            {
                var fields = expected!.AsObject().Select(p => p.Key).Union(actual!.AsObject().Select(p => p.Key))
                    .Where(key => !JsonNode.DeepEquals(expected[key], actual[key]));
                differing.Add($"{table} {tenant}/{id} {string.Join(',', fields)}");
            }
        }
    }

    private async Task<List<string>> Slugs()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select data->>'slug' from control.mt_doc_organization order by 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var slugs = new List<string>();
        while (await reader.ReadAsync())
        {
            slugs.Add(reader.GetString(0));
        }

        return slugs;
    }
}
