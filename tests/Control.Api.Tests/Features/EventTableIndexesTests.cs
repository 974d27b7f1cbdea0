using Control.Api.Infrastructure;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Npgsql;

namespace Control.Api.Tests.Features;

/// <summary>The audit indexes on Marten's event tables: built in the background, and rebuilt when a build was interrupted.</summary>
[Collection("api")]
public class EventTableIndexesTests
{
    private const string Rebuilt = "ix_mt_events_tenant_timestamp";

    [Fact]
    public async Task Indexes_BuiltValidAtStart_AndAnInterruptedBuildIsRebuiltAtTheNextStart()
    {
        await using var database = await TestDatabase.Create("indexes");
        var dataDirectory = ApiHost.NewTempDirectory();
        var masterKey = ApiHost.NewMasterKey();
        await using (var first = await ApiHost.Start(database.ConnectionString, dataDirectory, masterKey, new LogCapture()))
        {
            var token = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "bootstrap-token"))).Trim();
            await new Client(first).PostOk<SetupResponse>("/setup", new SetupRequest(token, "acme", "Acme", "alice", ApiFixture.Password));
            await AllValid(database);
        }

        // An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index under the name: made here by a build that fails.
        await database.Execute($"drop index control.{Rebuilt}");
        await Assert.ThrowsAsync<PostgresException>(() => database.Execute($"create unique index concurrently {Rebuilt} on control.mt_events ((1))"));
        Assert.Equal(1, await database.Scalar($"select count(*) from pg_index where indexrelid = 'control.{Rebuilt}'::regclass and not indisvalid"));

        await using (await ApiHost.Start(database.ConnectionString, dataDirectory, masterKey, new LogCapture()))
        {
            await AllValid(database);
            Assert.Equal(1, await database.Scalar(
                $"select count(*) from pg_indexes where schemaname = 'control' and indexname = '{Rebuilt}' and indexdef like '%(tenant_id, \"timestamp\")%' and indexdef not like '%UNIQUE%'"));
        }

        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task AllValid(TestDatabase database)
    {
        var names = string.Join(", ", EventTableIndexes.Names.Select(n => $"'{n}'"));
        var expected = EventTableIndexes.Names.Count();
        var valid = await Eventually.Until(
            () => database.Scalar($"select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname in ({names}) and i.indisvalid"),
            count => count >= expected, "every event-table index built and valid", TimeSpan.FromSeconds(30));
        Assert.Equal(expected, valid);
    }
}
