using System.Net.Sockets;
using Control.Api.Features.Audit.Chain;
using Control.Api.Features.Audit.History;
using Control.Api.Hosting;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten.Subscriptions;

namespace Control.Api.Features.Audit.Forwarding;

/// <summary>"Organization X has audit entries the SIEM may not have yet": idempotent, so a duplicate costs one query.</summary>
/// <remarks>Its identity is fixed: durable queues store messages by this name, and envelopes written before a restart must still be read.</remarks>
[MessageIdentity("Control.Api.Features.Audit.ForwardAuditEntries")]
public sealed record ForwardAuditEntries(string Organization, int Attempt = 0);

/// <summary>
/// Marten subscription (async daemon, progress persisted in Marten's progression table): for every page of new events,
/// one <see cref="ForwardAuditEntries"/> per organization in it, published through Wolverine's outbox in the same
/// transaction as the subscription's progress, onto a durable local queue. Nothing is lost between them.
/// </summary>
public sealed class AuditForwardingSubscription() : BatchSubscription("audit-syslog")
{
    public override async Task ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var organization in page.Events.Select(e => e.TenantId).Distinct(StringComparer.Ordinal))
        {
            await bus.PublishAsync(new ForwardAuditEntries(organization));
        }
    }
}

/// <summary>Handles <see cref="ForwardAuditEntries"/> on the sequential durable "audit-syslog" queue.</summary>
public static class ForwardAuditEntriesHandler
{
    public const string Queue = "audit-syslog";

    public static async Task<OutgoingMessages> Handle(ForwardAuditEntries message, SyslogForwarder forwarder, CancellationToken cancellation)
    {
        var next = new OutgoingMessages();
        switch (await forwarder.Forward(message.Organization, cancellation))
        {
            case SyslogForwarder.Outcome.More:
                next.Add(new ForwardAuditEntries(message.Organization));
                break;
            case SyslogForwarder.Outcome.Unreachable:
                if (await forwarder.ClaimRetry(message.Organization, message.Attempt, cancellation) is { } delay)
                {
                    next.Delay(new ForwardAuditEntries(message.Organization, message.Attempt + 1), delay);
                }

                break;
        }

        return next;
    }
}

/// <summary>
/// Sends an organization's audit entries to the syslog receiver in chain order (entry numbers are given at commit under
/// a per-organization lock, so a later entry never becomes visible before an earlier one and nothing is skipped), and
/// records in PostgreSQL how far it got, in a transaction that holds that organization's progress row locked while it
/// sends (two nodes or two messages never send the same entries). An entry is sent again only if the process dies
/// between the receiver taking it and the commit; every message carries the event id for a SIEM to drop such a repeat.
/// </summary>
public sealed class SyslogForwarder(NpgsqlDataSource database, IOptions<ControlOptions> options, TimeProvider clock, ILogger<SyslogForwarder> logger)
{
    public const string ProgressTable = "control_syslog_progress";

    public enum Outcome
    {
        Done,
        More,
        Unreachable,
    }

    /// <summary>Part of the schema Marten creates or migrates (and <c>db-apply</c> applies).</summary>
    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, ProgressTable, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("tenant_id", "varchar").AsPrimaryKey();
        table.AddColumn("forwarded_n", "bigint").NotNull();
        table.AddColumn("retry_at", "timestamptz");
        return table;
    }

    public async Task<Outcome> Forward(string organization, CancellationToken cancellation)
    {
        var settings = options.Value.Syslog;
        var schema = options.Value.DatabaseSchema;
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using (var claim = new NpgsqlCommand(
            $"insert into {schema}.{ProgressTable} (tenant_id, forwarded_n) values ($1, 0) on conflict (tenant_id) do nothing", connection))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = organization });
            await claim.ExecuteNonQueryAsync(cancellation);
        }

        long forwarded;
        await using (var progress = new NpgsqlCommand($"select forwarded_n from {schema}.{ProgressTable} where tenant_id = $1 for update", connection))
        {
            progress.Parameters.Add(new NpgsqlParameter { Value = organization });
            forwarded = (long)(await progress.ExecuteScalarAsync(cancellation))!;
        }

        var frames = new List<byte[]>();
        var last = forwarded;
        var hostname = string.IsNullOrWhiteSpace(settings.Hostname) ? Environment.MachineName : settings.Hostname;
        await using (var entries = new NpgsqlCommand(
            $"""
            select c.n, e.seq_id, e.id, e.mt_dotnet_type, e.stream_id, e.timestamp, e.user_name, e.correlation_id, e.headers, e.data
            from {schema}.{AuditChainSchema.ChainTable} c join {schema}.mt_events e on e.seq_id = c.seq_id
            where c.tenant_id = $1 and c.n > $2 order by c.n limit $3
            """, connection))
        {
            entries.Parameters.Add(new NpgsqlParameter { Value = organization });
            entries.Parameters.Add(new NpgsqlParameter { Value = forwarded });
            entries.Parameters.Add(new NpgsqlParameter { Value = settings.BatchSize });
            await using var reader = await entries.ExecuteReaderAsync(cancellation);
            using var redaction = new AuditRedaction();
            while (await reader.ReadAsync(cancellation))
            {
                last = reader.GetInt64(0);
                frames.Add(SyslogMessage.Frame(new SyslogMessage.Entry(
                    organization, last, reader.GetInt64(1), reader.GetGuid(2), EventTypes.Name(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9)), settings.AppName, hostname, redaction));
            }
        }

        if (frames.Count == 0)
        {
            await transaction.CommitAsync(cancellation);
            return Outcome.Done;
        }

        try
        {
            await Send(settings, frames, cancellation);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            await transaction.RollbackAsync(cancellation);
            logger.LogWarning("Syslog receiver {Host}:{Port} unreachable ({Reason}); {Count} audit entries of {Organization} wait for it.",
                settings.Host, settings.Port, e.Message, frames.Count, organization);
            return Outcome.Unreachable;
        }

        await using (var done = new NpgsqlCommand($"update {schema}.{ProgressTable} set forwarded_n = $2, retry_at = null where tenant_id = $1", connection))
        {
            done.Parameters.Add(new NpgsqlParameter { Value = organization });
            done.Parameters.Add(new NpgsqlParameter { Value = last });
            await done.ExecuteNonQueryAsync(cancellation);
        }

        await transaction.CommitAsync(cancellation);
        return frames.Count == settings.BatchSize ? Outcome.More : Outcome.Done;
    }

    /// <summary>
    /// The delay before the next attempt, or null when another retry for this organization is already due later (each
    /// new page of events while the receiver is down would otherwise start a retry chain of its own). An upsert: the
    /// failed attempt rolled back its progress row when it was the organization's first.
    /// </summary>
    public async Task<TimeSpan?> ClaimRetry(string organization, int attempt, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(attempt, 16)));
        delay = delay > options.Value.Syslog.MaxRetryDelay ? options.Value.Syslog.MaxRetryDelay : delay;
        await using var command = database.CreateCommand(
            $"""
            insert into {options.Value.DatabaseSchema}.{ProgressTable} as p (tenant_id, forwarded_n, retry_at) values ($1, 0, $2)
            on conflict (tenant_id) do update set retry_at = excluded.retry_at where p.retry_at is null or p.retry_at <= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = organization });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() + delay });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellation) == 1 ? delay : null;
    }

    private static async Task Send(SyslogOptions settings, List<byte[]> frames, CancellationToken cancellation)
    {
        using var tcp = new TcpClient { NoDelay = true };
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            connecting.CancelAfter(settings.ConnectTimeout);
            await tcp.ConnectAsync(settings.Host!, settings.Port, connecting.Token);
        }

        var stream = tcp.GetStream();
        foreach (var frame in frames)
        {
            await stream.WriteAsync(frame, cancellation);
        }

        await stream.FlushAsync(cancellation);

        // A graceful close: the receiver gets everything written before the FIN.
        tcp.Client.Shutdown(SocketShutdown.Send);
    }
}
