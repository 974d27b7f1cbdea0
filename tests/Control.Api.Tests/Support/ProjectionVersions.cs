using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Control.Api.Tests.Support;

/// <summary>
/// Every aggregate document of an organization carries its stream's version: the inline projections that skip streams without
/// their aggregate's events (AggregateProjections) skipped none of their own. A document behind its stream would make the next
/// append against it fail as a concurrent change.
/// </summary>
public static class ProjectionVersions
{
    private static readonly string[] Documents =
        ["operator", "organization", "client", "customclient", "sessionsummary", "person", "offboarding"];

    public static async Task AssertMatchStreams(ApiFixture api, string organization)
    {
        var documents = string.Join(" union all ", Documents.Select(d =>
            $"select '{d}' as kind, id, tenant_id, mt_version::bigint as version from control.mt_doc_{d}"));
        await using var connection = await api.Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            $"""
            select d.kind, count(*), count(*) filter (where d.version is distinct from s.version),
                string_agg(d.kind || ' ' || d.id || ': document v' || coalesce(d.version::text, '?') || ', stream v' || s.version, '; ')
                    filter (where d.version is distinct from s.version)
            from ({documents}) d join control.mt_streams s on s.id = d.id and s.tenant_id = d.tenant_id
            where d.tenant_id = $1 group by d.kind
            """, connection);
        command.Parameters.AddWithValue(organization);
        var behind = new List<string>();
        var kinds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
            if (reader.GetInt64(2) > 0)
            {
                behind.Add(reader.GetString(3));
            }
        }

        Assert.True(behind.Count == 0, string.Join(Environment.NewLine, behind));
        Assert.NotEmpty(kinds);
    }
}
