using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Wolverine.Http;

namespace Control.Api.Features.Audit;

/// <summary>
/// The caller's organization's events, newest first, filtered by type, actor, stream, correlation and time, paged
/// by a cursor (the last sequence number seen). Secret material in event bodies is redacted.
/// </summary>
public static class GetAuditEventsEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/events")]
    public static async Task<IResult> Get(
        HttpContext http, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation,
        string? type = null, string? actor = null, Guid? stream = null, string? correlation = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? cursor = null, int? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                before = c;
            }
            else
            {
                errors["cursor"] = ["The cursor is the nextCursor value of a previous page."];
            }
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"The limit is between 1 and {MaxLimit}."];
        }

        var types = (type ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (types.Any(t => t.Length > 100 || !t.All(char.IsAsciiLetterOrDigit)))
        {
            errors["type"] = ["Event types are names such as OperatorDisabled, separated by commas."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var schema = options.Value.DatabaseSchema;
        var sql = new StringBuilder($"""
            select seq_id, id, stream_id, version, type, mt_dotnet_type, timestamp, user_name, correlation_id, headers, data
            from {schema}.mt_events where tenant_id = $1
            """);
        var parameters = new List<NpgsqlParameter> { new() { Value = http.User.OrganizationSlug() } };
        void Where(string clause, object value, NpgsqlDbType? dbType = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (dbType is { } t)
            {
                parameter.NpgsqlDbType = t;
            }

            parameters.Add(parameter);
            sql.Append(CultureInfo.InvariantCulture, $" and {clause.Replace("@", "$" + parameters.Count, StringComparison.Ordinal)}");
        }

        if (types.Length > 0)
        {
            Where("type = any(@)", types.Select(EventTypeAlias).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Varchar);
        }

        if (!string.IsNullOrWhiteSpace(actor))
        {
            Where("user_name = @", actor.Trim());
        }

        if (stream is { } s)
        {
            Where("stream_id = @", s);
        }

        if (!string.IsNullOrWhiteSpace(correlation))
        {
            Where("correlation_id = @", correlation.Trim());
        }

        if (from is { } f)
        {
            Where("timestamp >= @", f.ToUniversalTime());
        }

        if (to is { } t)
        {
            Where("timestamp < @", t.ToUniversalTime());
        }

        if (before is { } b)
        {
            Where("seq_id < @", b);
        }

        sql.Append(CultureInfo.InvariantCulture, $" order by seq_id desc limit {take + 1}");

        await using var command = database.CreateCommand(sql.ToString());
        command.Parameters.AddRange(parameters.ToArray());
        var items = new List<AuditEventView>(take);
        var more = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                if (items.Count == take)
                {
                    more = true;
                    break;
                }

                var headers = reader.IsDBNull(9) ? null : JsonNode.Parse(reader.GetString(9))?.AsObject();
                items.Add(new AuditEventView(
                    reader.GetInt64(0),
                    reader.GetGuid(1),
                    TypeName(reader.GetString(5)),
                    reader.GetGuid(2),
                    reader.GetInt64(3),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    headers?[AuditMetadata.ReasonHeader]?.GetValue<string>(),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    Redact(reader.GetString(10))));
            }
        }

        return Results.Ok(new AuditEventPage(items, more ? items[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null));
    }

    /// <summary>Marten stores <c>OperatorSignInFailed</c> as <c>operator_sign_in_failed</c>.</summary>
    public static string EventTypeAlias(string typeName)
    {
        var alias = new StringBuilder(typeName.Length + 8);
        foreach (var ch in typeName)
        {
            if (char.IsUpper(ch) && alias.Length > 0)
            {
                alias.Append('_');
            }

            alias.Append(char.ToLowerInvariant(ch));
        }

        return alias.ToString();
    }

    internal static string TypeName(string dotnetType)
    {
        var name = dotnetType.Split(',')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    internal static JsonElement Redact(string json)
    {
        var node = JsonNode.Parse(json)!;
        RedactNode(node);
        return JsonSerializer.SerializeToElement(node);
    }

    private static void RedactNode(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                if (SensitiveFields.IsSensitive(name))
                {
                    obj[name] = SensitiveFields.Redacted;
                }
                else if (value is not null)
                {
                    RedactNode(value);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not null)
                {
                    RedactNode(item);
                }
            }
        }
    }
}
