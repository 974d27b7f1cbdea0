using System.Net;
using Control.Api.Features.Audit;
using Control.Api.Features.Audit.Chain;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Tests.Features;

/// <summary>
/// The tamper-evident chain against rows changed by hand in PostgreSQL, the way someone with database access would:
/// every test works on its own organization and checks that the others still verify.
/// </summary>
[Collection("api")]
public class AuditChainTests(ApiFixture api)
{
    private const string Events = "control.mt_events";
    private const string UsernamePath = "'{username}'";

    [Fact]
    public async Task Verify_UntouchedOrganization_IsIntactWithEveryEventAndTheStoredHead()
    {
        var org = await Busy();

        var result = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");

        Assert.True(result.Intact, result.Break?.Detail);
        Assert.Equal(await api.Database.Scalar($"select count(*) from {Events} where tenant_id = '{org.Slug}'"), result.Entries);
        Assert.Null(result.Break);
        Assert.Equal(64, result.Head!.Length);
        Assert.Equal(result.Head, await Text($"select encode(hash, 'hex') from control.control_audit_chain where tenant_id = '{org.Slug}' order by n desc limit 1"));
    }

    [Fact]
    public async Task Content_EncodedFromTheColumns_IsTheBytesTheTriggerHashes()
    {
        // Verify encodes in C# what the trigger encodes in SQL: they must agree on every field kind, NULLs, non-ASCII
        // text and timestamps to the microsecond, or an untouched chain would read as edited.
        var org = await api.NewOrganization();
        await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("juergen", "hr", "Zugriff für Jürgen, \"HR\"\n日本語 🔒"));
        await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Jürgen Ærøskøbing 山田 🔒", "jurgen@example.com", "Einstellung"));
        var sql = string.Join(" || ", AuditChainHash.Fields.Select(f => $"control.control_audit_field({f.Expression})"));
        await using var connection = new Npgsql.NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select {sql}, {AuditChainHash.Columns} from {Events} e where e.tenant_id = '{org.Slug}' order by e.seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var content = new AuditChainContent();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            content.Encode(reader, 1);
            Assert.Equal(Convert.ToHexString((byte[])reader[0]), Convert.ToHexString(content.Content));
            rows++;
        }

        Assert.True(rows >= 3, $"only {rows} events");
    }

    [Fact]
    public async Task Verify_ConcurrentAppendsInOneOrganization_ChainStaysGaplessAndIntact()
    {
        var org = await api.NewOrganization();
        var invites = Enumerable.Range(0, 12).Select(i => org.Owner.Post("/operators", new InviteOperatorRequest($"c{i}", "technician", "parallel")));
        Assert.All(await Task.WhenAll(invites), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var result = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");

        Assert.True(result.Intact, result.Break?.Detail);
        Assert.Equal(await api.Database.Scalar($"select count(*) from {Events} where tenant_id = '{org.Slug}'"), result.Entries);
    }

    [Theory]
    [InlineData("data", "data = jsonb_set(data, '{username}', '\"mallory\"')")]
    [InlineData("headers", "headers = jsonb_set(headers, '{reason}', '\"nothing to see\"')")]
    [InlineData("timestamp", "timestamp = timestamp - interval '3 days'")]
    [InlineData("actor", "user_name = 'someone@else'")]
    public async Task Verify_RowEditedInTheDatabase_ReportsTheEntryAndTheField(string field, string edit)
    {
        var org = await Busy();
        var other = await Busy();
        var (sequence, entry) = await Invited(org, "victim");

        await api.Database.Execute($"update {Events} set {edit} where seq_id = {sequence}");
        var result = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");

        Assert.False(result.Intact);
        Assert.Null(result.Head);
        var broken = result.Break!;
        Assert.Equal(AuditChainProblems.Edited, broken.Problem);
        Assert.Equal(entry, broken.Entry);
        Assert.Equal(sequence, broken.Sequence);
        Assert.Equal("OperatorInvited", broken.Type);
        Assert.Equal([field], broken.Fields);
        Assert.Equal(entry - 1, result.Entries);
        Assert.True((await other.Owner.GetOk<AuditChainVerification>("/audit/verify")).Intact, "another organization is not affected");
    }

    [Fact]
    public async Task Verify_RowDeleted_ReportsTheMissingEntry()
    {
        var org = await Busy();
        var (sequence, entry) = await Invited(org, "gone");

        await api.Database.Execute($"delete from {Events} where seq_id = {sequence}");
        var broken = (await org.Owner.GetOk<AuditChainVerification>("/audit/verify")).Break!;

        Assert.Equal(AuditChainProblems.Deleted, broken.Problem);
        Assert.Equal(entry, broken.Entry);
        Assert.Equal(sequence, broken.Sequence);
        Assert.Equal("OperatorInvited", broken.Type);
        Assert.Contains("deleted", broken.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoRowsSwapped_ReportsTheSwapWithTheOtherEntry()
    {
        var org = await Busy();
        var (first, firstEntry) = await Invited(org, "first");
        var (second, secondEntry) = await Invited(org, "second");

        // Their positions in the log exchanged: each sequence number now holds the other event.
        await api.Database.Execute($"""
            update {Events} set seq_id = -1 where seq_id = {first};
            update {Events} set seq_id = {first} where seq_id = {second};
            update {Events} set seq_id = {second} where seq_id = -1;
            """);
        var broken = (await org.Owner.GetOk<AuditChainVerification>("/audit/verify")).Break!;

        Assert.Equal(AuditChainProblems.Swapped, broken.Problem);
        Assert.Equal(firstEntry, broken.Entry);
        Assert.Equal(secondEntry, broken.OtherEntry);
        Assert.Contains("event id", broken.Fields);
    }

    [Fact]
    public async Task Verify_RowInsertedOutsideTheChain_ReportsTheUnchainedRow()
    {
        var org = await Busy();
        var (sequence, entry) = await Invited(org, "copied");

        await api.Database.Execute($"""
            begin;
            alter table {Events} disable trigger control_audit_chain;
            insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name, correlation_id, causation_id)
                select nextval('control.mt_events_sequence'), gen_random_uuid(), stream_id, version + 1000, data, type, timestamp, tenant_id, mt_dotnet_type,
                    headers, user_name, correlation_id, causation_id
                from {Events} where seq_id = {sequence};
            alter table {Events} enable trigger control_audit_chain;
            commit;
            """);
        var result = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");

        Assert.False(result.Intact);
        Assert.Equal(AuditChainProblems.Inserted, result.Break!.Problem);
        Assert.Equal("OperatorInvited", result.Break.Type);
        Assert.True(result.Break.Sequence > sequence);
        Assert.True(result.Break.Entry > entry);
    }

    [Fact]
    public async Task Verify_MartensTombstoneRows_AreChainedAndVerify()
    {
        // A failed append leaves Marten to fill its sequence numbers with tombstone rows, whose timestamp is -infinity (never
        // set; Npgsql sends DateTime.MinValue so): the trigger refused them (infinity is no bigint), which failed the filler
        // transaction again and again. Inserted here as Marten does, with the trigger on; +infinity for the other end.
        var org = await Busy();
        await api.Database.Execute($"""
            insert into control.mt_streams (id, tenant_id, version, is_archived) values ('{Guid.NewGuid()}', '{org.Slug}', 0, false);
            insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers)
                select n, gen_random_uuid(), (select id from control.mt_streams where tenant_id = '{org.Slug}' and version = 0 limit 1), n, {"'{}'"},
                    'tombstone', case when n % 2 = 0 then '-infinity'::timestamptz else 'infinity'::timestamptz end, '{org.Slug}',
                    'JasperFx.Events.Tombstone, JasperFx.Events', null
                from (select nextval('control.mt_events_sequence') as n from generate_series(1, 2)) s;
            """);

        var result = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");

        Assert.True(result.Intact, result.Break?.Detail);
        Assert.Equal(await api.Database.Scalar($"select count(*) from {Events} where tenant_id = '{org.Slug}'"), result.Entries);
        Assert.Equal(2L, await api.Database.Scalar($"select count(*) from {Events} where tenant_id = '{org.Slug}' and type = 'tombstone'"));
    }

    [Fact]
    public async Task Anchor_SignedWithTheOrganizationKey_AndCheckedByVerify()
    {
        var org = await Busy();
        var agent = await org.Agent();

        var anchor = await org.Owner.GetOk<AuditAnchor>("/audit/anchor");

        Assert.Equal(org.Slug, anchor.Organization);
        Assert.Equal(agent.Enrolment.PolicyPublicKey, anchor.PublicKey);
        Assert.True(AuditAnchorSignature.Verify(anchor, agent.Enrolment.PolicyPublicKey));
        Assert.False(AuditAnchorSignature.Verify(anchor with { Entry = anchor.Entry - 1 }, agent.Enrolment.PolicyPublicKey));
        Assert.False(AuditAnchorSignature.Verify(anchor with { Hash = new string('0', 64) }, agent.Enrolment.PolicyPublicKey));
        var foreign = await api.NewOrganization();
        Assert.False(AuditAnchorSignature.Verify(anchor, (await foreign.Agent()).Enrolment.PolicyPublicKey));

        await Invited(org, "later");
        var result = await org.Owner.GetOk<AuditChainVerification>($"/audit/verify?anchorEntry={anchor.Entry}&anchorHash={anchor.Hash}");
        Assert.True(result.Intact);
        Assert.True(result.Anchor!.Matches, result.Anchor.Detail);
        Assert.True(result.Entries > anchor.Entry);
    }

    [Fact]
    public async Task Anchor_ChainRewrittenWholesaleAfterAnEdit_PlainVerifyPassesButTheAnchorDoesNot()
    {
        var org = await Busy();
        var (sequence, _) = await Invited(org, "rewritten");
        var anchor = await org.Owner.GetOk<AuditAnchor>("/audit/anchor");

        // Someone with database access edits a row, then recomputes the whole chain with the database's own functions.
        await api.Database.Execute($"""
            begin;
            update {Events} set data = jsonb_set(data, {UsernamePath}, '"mallory"') where seq_id = {sequence};
            delete from control.control_audit_chain where tenant_id = '{org.Slug}';
            select control.control_audit_chain_add(e) from (select e from {Events} e where tenant_id = '{org.Slug}' order by seq_id) x;
            commit;
            """);

        var plain = await org.Owner.GetOk<AuditChainVerification>("/audit/verify");
        Assert.True(plain.Intact, "a chain recomputed wholesale verifies on its own: that is what anchors are for");
        var anchored = await org.Owner.GetOk<AuditChainVerification>($"/audit/verify?anchorEntry={anchor.Entry}&anchorHash={anchor.Hash}");
        Assert.False(anchored.Intact);
        Assert.False(anchored.Anchor!.Matches);
        Assert.Contains("rewritten", anchored.Anchor.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BadAnchorOrRole_IsRefused()
    {
        var org = await api.NewOrganization();
        await Client.Problem(await org.Owner.Get("/audit/verify?anchorEntry=3"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get("/audit/verify?anchorEntry=3&anchorHash=xyz"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get($"/audit/verify?anchorEntry=0&anchorHash={new string('a', 64)}"), HttpStatusCode.BadRequest);
        var (_, technician) = await org.Operator("tech", "technician");
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.Get("/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.Get("/audit/anchor")).StatusCode);
        var (_, auditor) = await org.Operator("audrey", "auditor");
        Assert.True((await auditor.GetOk<AuditChainVerification>("/audit/verify")).Intact);
    }

    /// <summary>An organization with a few more events than its founding ones.</summary>
    private async Task<Organization> Busy()
    {
        var org = await api.NewOrganization();
        await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("filler", "hr", "padding"));
        return org;
    }

    /// <summary>Invites an operator; the sequence number and chain entry of the OperatorInvited event.</summary>
    private async Task<(long Sequence, long Entry)> Invited(Organization org, string username)
    {
        var invited = await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest(username, "technician", "hire"));
        var sequence = await api.Database.Scalar($"select seq_id from {Events} where stream_id = '{invited.Id}' and type = 'operator_invited'");
        return (sequence, await api.Database.Scalar($"select n from control.control_audit_chain where seq_id = {sequence}"));
    }

    private async Task<string> Text(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
