using Control.Api.Features.Access;
using Control.Api.Features.Clients;
using Control.Api.Features.Operators;
using Control.Api.Features.Organizations;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Security;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// Performs one step of an offboarding inside the caller's transaction: decides every change with the same deciders
/// the API's own endpoints use, appends the events (correlated to the offboarding, actor <c>system:offboarding</c>,
/// the HR reason), and appends the step's completion with every change it made. The caller commits it all at once,
/// so a step is either wholly done and recorded, or not at all.
/// </summary>
public sealed class OffboardingStepRunner(SecretProtector protector, GeneratedPasswords passwords, TimeProvider clock, IOptions<ControlOptions> options)
{
    public static readonly Actor Actor = Actor.System("offboarding");

    /// <summary>How long the ACL step goes on round after round in one saga message before it continues in the next.</summary>
    public static readonly TimeSpan RoundsPerMessage = TimeSpan.FromSeconds(15);

    public static void RecordAs(IDocumentSession session, Offboarding offboarding)
    {
        session.CorrelationId = offboarding.Id.ToString();
        session.LastModifiedBy = Actor.Name;
        session.SetHeader(AuditMetadata.ReasonHeader, $"offboarding of {offboarding.PersonName} (requested by {offboarding.RequestedBy.Name}): {offboarding.Reason}");
        session.SetHeader("offboarding", offboarding.Id.ToString());
    }

    /// <summary>
    /// Does step <paramref name="step"/>, or its next batch of at most <paramref name="batchSize"/> clients (or, with
    /// <paramref name="parallel"/> above 1, rounds of that many batches side by side for up to <see cref="RoundsPerMessage"/>);
    /// true when the step is done.
    /// </summary>
    public async Task<bool> Run(IDocumentSession session, Offboarding offboarding, int step, DateTimeOffset now, int batchSize, int parallel, CancellationToken cancellation)
    {
        RecordAs(session, offboarding);
        // The clients a step loads to decide are the ones its events change: their inline projection takes them from the
        // session's identity map instead of reading them again (UseIdentityMapForAggregates).
        session.UseIdentityMapFor<Client>();
        var person = await session.LoadAsync<Person>(offboarding.PersonId, cancellation)
            ?? throw new InvalidOperationException($"The person {offboarding.PersonId} of offboarding {offboarding.Id} is gone.");
        IReadOnlyCollection<string> kept = [];
        if (step == 7)
        {
            (person, kept) = await WithinAuthority(session, person, offboarding, now, cancellation);
        }

        var last = true;
        List<Guid>? batch = null;
        List<Guid>? lastClients = null;
        HashSet<Guid>? changeOnly = null;
        Task sideBySide = Task.CompletedTask;
        if (step == 7)
        {
            // Only the clients whose ACL still names them, a round of `parallel` batches at a time, each batch in a
            // transaction of its own; the last round's last batch (with the organization-wide entries and the wildcard
            // report, which need every client) completes the step in this transaction.
            var identities = person.AclIdentities();
            var holding = await ClientsHolding(session, identities, batchSize * parallel + 1, cancellation);
            if (holding.Count > batchSize && parallel > 1)
            {
                Task Alone(IEnumerable<Guid[]> batches) =>
                    Task.WhenAll(batches.Select(chunk => RemoveFromAclsAlone(session.DocumentStore, session.TenantId, offboarding, person, chunk, now, cancellation)));

                // Round after round in this message (a saga message per round cost more than the round's own queries), for
                // a while at most: a kill resumes from what still names them, and a long step goes on in the next message.
                var rounds = clock.GetTimestamp();
                while (holding.Count > batchSize * parallel)
                {
                    await Alone(holding.Take(batchSize * parallel).Chunk(batchSize));
                    if (clock.GetElapsedTime(rounds) > RoundsPerMessage)
                    {
                        return false;
                    }

                    if (options.Value.OffboardingStepDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(options.Value.OffboardingStepDelay, clock, cancellation);
                    }

                    // Each round's changes carry the time they were decided (receipt times are measured from it).
                    now = clock.GetUtcNow();
                    holding = await ClientsHolding(session, identities, batchSize * parallel + 1, cancellation);
                }

                if (holding.Count > batchSize)
                {
                    // The last round: its other batches commit beside this transaction, which takes the last batch with the
                    // step's end (a round less: the queries that find the clients) and waits for them before it commits
                    // (see below).
                    var chunks = holding.Chunk(batchSize).ToList();
                    sideBySide = Alone(chunks.SkipLast(1));
                    holding = [.. chunks[^1]];
                }
            }
            else if (holding.Count > batchSize)
            {
                batch = holding.Take(batchSize).ToList();
                last = false;
            }

            if (last)
            {
                // The last batch: what still names them here, and every client with a wildcard entry for the report (those
                // that a batch beside this one changes are read for the report only).
                changeOnly = [.. holding];
            }
        }

        try
        {
            if (changeOnly is not null)
            {
                lastClients = [.. changeOnly.Union(await ClientsWithWildcards(session, cancellation))];
            }

            // A batch before the ACL step's last needs its clients and nothing else: no exposure, operators or people, which
            // every other step (and the wildcard report) reads.
            var knowledge = batch is null ? await session.Query<SecretKnowledge>().ToListAsync(cancellation) : [];
            var known = knowledge.Where(k => k.KnownBy(person).Any()).ToList();
            // Only the ACL step (and a full rotation) looks at every client; the others need just the ones the person touches.
            IReadOnlyCollection<Guid>? needed = step switch
            {
                1 => person.Clients.Select(c => c.ClientId).ToList(),
                5 or 6 when !(step == 6 && offboarding.Mode == OffboardingMode.Full) => known.Select(k => k.SubjectId).ToList(),
                7 => lastClients,
                6 => null,
                _ => [],
            };
            var state = batch is null ? await AccessState.Load(session, cancellation, needed, knowledge) : await AccessState.LoadClients(session, batch, cancellation);
            var changes = new List<OffboardingChange>();
            var notes = new List<string>();
            var full = offboarding.Mode == OffboardingMode.Full;
            switch (step)
            {
                case 1:
                    var own = person.Clients.Select(c => c.ClientId).ToHashSet();
                    ChangeClients(session, state.Clients.Where(c => own.Contains(c.Id)), _ => new RemoveClient(), "removed from the organization", now, changes);
                    notes.AddRange(person.Clients.Where(c => !state.Clients.Any(x => x.Id == c.ClientId)).Select(c => $"{c.Label} was removed before"));
                    break;
                case 2:
                    await DisableAccounts(session, state, person, offboarding, known, now, changes, notes, cancellation);
                    break;
                case 3:
                    var knowsKey = known.Any(k => k.Secret == SecretKind.LicenseKey);
                    if (knowsKey || full)
                    {
                        await ResetLicenseKey(session, state.Organization, offboarding, now, changes, cancellation);
                    }
                    else
                    {
                        notes.Add("they did not know the current license key: left as it is");
                    }

                    break;
                case 4:
                    var links = known.Where(k => k.Secret == SecretKind.CustomClientLink).Select(k => k.SubjectId).ToHashSet();
                    var targets = state.CustomClients.Where(c => !c.Deleted && (links.Contains(c.Id) || (full && c.Public))).ToList();
                    await RotateLinks(session, targets, now, changes, cancellation);
                    if (targets.Count == 0)
                    {
                        notes.Add("no custom-client link to rotate");
                    }

                    break;
                case 5:
                    var holding = known.Where(k => k.Secret == SecretKind.RememberToken).Select(k => k.SubjectId).ToHashSet();
                    ChangeClients(session, state.Clients.Where(c => holding.Contains(c.Id)), _ => new ClearTokens(), "all remember-tokens cleared", now, changes);
                    break;
                case 6:
                    var passwords = known.Where(k => k.Secret == SecretKind.UnattendedPassword).Select(k => k.SubjectId).ToHashSet();
                    var identities = person.AclIdentities();
                    var rotate = state.Clients
                        .Where(c => c.Unattended.Verifier is not null && (passwords.Contains(c.Id) || (full && CouldReach(c, state.Organization, identities))))
                        .ToList();
                    RotatePasswords(session, rotate, offboarding, now, changes);
                    break;
                case 7:
                    RemoveFromAcls(session, state, person, now, changes, notes, last, changeOnly);
                    if (last)
                    {
                        // The batches that committed beside this one go into the stream now, once (the offboarding's document holds
                        // every change; rewriting it after each round cost more than the round): this transaction deletes their
                        // records. A batch that failed fails this transaction too, and the saga's retry finds what is left.
                        await sideBySide;
                        await FoldBatches(session, offboarding, step, cancellation);
                        notes.AddRange(kept.Select(alias => $"{alias}: left in every access control list and not released: the offboarding could not change the account"));
                        await ClosePerson(session, person, offboarding, kept, now, changes, cancellation);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(step), step, "Offboardings have seven steps.");
            }

            session.Events.Append(offboarding.Id, last
                ? new OffboardingStepCompleted(offboarding.Id, step, OffboardingSteps.StepId(offboarding.Id, step), changes, notes, now)
                : new OffboardingStepProgressed(offboarding.Id, step, changes, now));
            return last;
        }
        catch when (!sideBySide.IsCompleted)
        {
            // The batches beside this one finish before the saga retries, so that its retry does not race them.
            await sideBySide.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    /// <summary>
    /// One batch of the ACL step in a transaction of its own (beside the saga's and the other batches'): its clients' changes
    /// and, with them, a record of what it changed, which the step's last batch folds into the offboarding's stream. A
    /// concurrent change of one of its clients fails this transaction only; the saga's retry finds what is still to do.
    /// </summary>
    private static async Task RemoveFromAclsAlone(
        IDocumentStore store, string tenant, Offboarding offboarding, Person person, Guid[] clientIds, DateTimeOffset now, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(tenant);
        RecordAs(session, offboarding);
        session.UseIdentityMapFor<Client>();
        var state = await AccessState.LoadClients(session, clientIds, cancellation);
        var changes = new List<OffboardingChange>();
        RemoveFromAcls(session, state, person, now, changes, [], last: false);
        session.Store(new OffboardingBatch { Id = Guid.NewGuid(), OffboardingId = offboarding.Id, Step = 7, Changes = changes, At = now });
        await session.SaveChangesAsync(cancellation);
    }

    private static async Task FoldBatches(IDocumentSession session, Offboarding offboarding, int step, CancellationToken cancellation)
    {
        foreach (var batch in (await OffboardingViews.Batches(session, offboarding.Id, cancellation)).Where(b => b.Step == step))
        {
            session.Events.Append(offboarding.Id, new OffboardingStepProgressed(offboarding.Id, step, batch.Changes, batch.At));
            session.Delete(batch);
        }
    }

    /// <summary>
    /// The end of the ACL step: the person's record is closed and their aliases are released, so that no wildcard matches
    /// them from now on. In the transaction of the step's last changes, so that every change of the offboarding is committed
    /// when the step is; what follows only waits for receipts.
    /// </summary>
    private static async Task ClosePerson(
        IDocumentSession session, Person person, Offboarding offboarding, IReadOnlyCollection<string> kept, DateTimeOffset now, List<OffboardingChange> changes,
        CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Person>(person.Id, cancellation);
        var decision = PersonDecider.Decide(new CompleteOffboarding(offboarding.Id, kept), stream.Aggregate!, Actor, now);
        Record(stream, "person", person.Id, person.Name, decision, "record closed; aliases released (a wildcard matches them no more)", changes);
    }

    /// <summary>Active clients with a wildcard (or everyone) entry of their own: the only ones the wildcard report needs.</summary>
    private static async Task<IReadOnlyList<Guid>> ClientsWithWildcards(IQuerySession session, CancellationToken cancellation) =>
        await session.Query<Client>()
            .Where(c => c.Status == ClientStatus.Active
                && c.MatchesSql("exists (select 1 from jsonb_array_elements_text(d.data -> 'aclEntries') as entry where strpos(entry, '*') > 0)"))
            .Select(c => c.Id).ToListAsync(cancellation);

    /// <summary>Active clients whose own ACL names one of the identities (at most <paramref name="limit"/>).</summary>
    private static async Task<List<Guid>> ClientsHolding(IQuerySession session, IReadOnlyList<string> identities, int limit, CancellationToken cancellation)
    {
        var found = new HashSet<Guid>();
        foreach (var identity in identities)
        {
            found.UnionWith(await session.Query<Client>()
                .Where(c => c.Status == ClientStatus.Active && c.AclEntries.Contains(identity))
                .Select(c => c.Id).Take(limit).ToListAsync(cancellation));
        }

        return [.. found.Take(limit)];
    }

    /// <summary>Whether any of the identities is admitted by the client's ACL (or the ACL is off): full mode rotates those passwords too.</summary>
    private static bool CouldReach(Client client, Organization organization, IReadOnlyList<string> identities) =>
        !client.AclEnabled || client.AclEntries.Concat(organization.AclEntries)
            .Any(e => AclEntry.TryParse(e, out var entry, out _) && identities.Any(entry.Matches));

    /// <summary>One decision per client, appended against the version read (a concurrent change makes the whole step retry).</summary>
    private static void ChangeClients(
        IDocumentSession session, IEnumerable<Client> clients, Func<Client, ClientCommand> command, string what, DateTimeOffset now, List<OffboardingChange> changes)
    {
        foreach (var client in clients)
        {
            var decision = ClientDecider.Decide(command(client), client, Actor, now);
            AppendClient(session, client, decision, what, changes);
        }
    }

    private static void AppendClient(IDocumentSession session, Client client, Decision decision, string what, List<OffboardingChange> changes)
    {
        if (decision.IsRefused || decision.Events.Count == 0)
        {
            return;
        }

        session.Events.Append(client.Id, client.Version + decision.Events.Count, decision.Events.ToArray());
        for (var i = 0; i < decision.Events.Count; i++)
        {
            changes.Add(new OffboardingChange("client", client.Id, AccessReview.Label(client), decision.Events[i].GetType().Name, client.Version + i + 1, what));
        }
    }

    /// <summary>
    /// Every account change is decided with the starter's authority (never an owner's): a refused one is a note of the step,
    /// and the account's certificates stay. The last active owner is counted under the owners' lock.
    /// </summary>
    private static async Task DisableAccounts(
        IDocumentSession session, AccessState state, Person person, Offboarding offboarding, List<SecretKnowledge> known, DateTimeOffset now,
        List<OffboardingChange> changes, List<string> notes, CancellationToken cancellation)
    {
        var organizationStream = await session.Events.FetchForWriting<Organization>(state.Organization.Id, cancellation);
        var organization = organizationStream.Aggregate!;
        var theirs = person.Operators.Select(o => o.OperatorId).ToHashSet();
        var accounts = state.Operators.Where(o => theirs.Contains(o.Id)).ToList();
        // Shared portal credentials: accounts of others whose password the person knows.
        var shared = known.Where(k => k.Secret == SecretKind.OperatorPassword && !theirs.Contains(k.SubjectId))
            .Select(k => state.Operators.FirstOrDefault(o => o.Id == k.SubjectId))
            .OfType<Operator>().Where(o => o.Status != OperatorStatus.Disabled).DistinctBy(o => o.Id).ToList();
        var owners = await ActiveOwners.Count(session, [.. accounts, .. shared], cancellation);
        foreach (var account in accounts)
        {
            var stream = await session.Events.FetchForWriting<Operator>(account.Id, cancellation);
            var decision = OperatorDecider.Decide(new DisableOperator(owners), stream.Aggregate!, offboarding.Authority, Actor, now);
            Record(stream, "operator", account.Id, account.QualifiedName, decision, "disabled: every token dies at once", changes);
            if (decision.IsRefused)
            {
                notes.Add($"{account.QualifiedName}: {decision.Refusal!.Message}");
                continue;
            }

            owners -= ActiveOwners.IsActiveOwner(stream.Aggregate!) && decision.Events.Count > 0 ? 1 : 0;
            // Its certificates die with it: one revocation on the organization's stream, in every client's next policy.
            var revocation = OperatorDecider.Decide(new RevokeViewerCertificates(), account, organization, Actor, now);
            Record(organizationStream, "organization", organization.Id, organization.Slug, revocation, $"viewer certificates of {account.QualifiedName} revoked", changes);
            organization = revocation.Events.Aggregate(organization, (o, e) => Organization.Evolve(o, e)!);
        }

        foreach (var account in shared)
        {
            // Nobody learns the new activation code: an admin resets the account again to hand it to its owner.
            var code = Secrets.NewCode();
            var stream = await session.Events.FetchForWriting<Operator>(account.Id, cancellation);
            var decision = OperatorDecider.Decide(new ResetPassword(Secrets.HashCode(code), now, owners), stream.Aggregate!, offboarding.Authority, Actor, now);
            Record(stream, "operator", account.Id, account.QualifiedName, decision, "shared password reset: its tokens die; an admin resets it again to hand out a new one", changes);
            if (decision.IsRefused)
            {
                notes.Add($"{account.QualifiedName} (shared password): {decision.Refusal!.Message}");
                continue;
            }

            // A reset owner cannot sign in until someone hands over a code nobody holds: no longer counted.
            owners -= ActiveOwners.IsActiveOwner(stream.Aggregate!) ? 1 : 0;
        }
    }

    /// <summary>
    /// The person as the ACL step may treat them: without the aliases of operator accounts the offboarding could not change
    /// (no authority, or the last active owner), which stay in every ACL and are not released (<c>kept</c>).
    /// </summary>
    private static async Task<(Person Person, IReadOnlyCollection<string> Kept)> WithinAuthority(
        IDocumentSession session, Person person, Offboarding offboarding, DateTimeOffset now, CancellationToken cancellation)
    {
        var operators = await session.Query<Operator>().ToListAsync(cancellation);
        var named = OffboardingApproval.NamedAccounts(person, operators);
        var owners = operators.Count(ActiveOwners.IsActiveOwner);
        var kept = named
            .Where(o => OperatorDecider.Decide(new DisableOperator(owners), o, offboarding.Authority, Actor, now).IsRefused)
            .Select(o => o.QualifiedName)
            .ToHashSet(StringComparer.Ordinal);
        return kept.Count == 0
            ? (person, kept)
            : (person with { Operators = [.. person.Operators.Where(o => !kept.Contains(o.Alias))], Identities = [.. person.Identities.Where(i => !kept.Contains(i))] }, kept);
    }

    private static void Record<T>(
        JasperFx.Events.IEventStream<T> stream, string kind, Guid id, string label, Decision decision, string what, List<OffboardingChange> changes) where T : class
    {
        if (decision.IsRefused || decision.Events.Count == 0)
        {
            return;
        }

        var version = (stream.StartingVersion ?? 0) + stream.Events.Count;
        stream.AppendMany(decision.Events.ToArray());
        for (var i = 0; i < decision.Events.Count; i++)
        {
            changes.Add(new OffboardingChange(kind, id, label, decision.Events[i].GetType().Name, version + i + 1, what));
        }
    }

    private async Task ResetLicenseKey(
        IDocumentSession session, Organization organization, Offboarding offboarding, DateTimeOffset now, List<OffboardingChange> changes, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Organization>(organization.Id, cancellation);
        var key = RegistrationTokens.New(RegistrationTokenKind.LicenseKey, organization.Slug);
        var decision = OrganizationDecider.Decide(new ResetLicenseKey(Secrets.HashToken(key)), stream.Aggregate!, Actor, now);
        Record(stream, "organization", organization.Id, organization.Slug, decision, "license key reset: the old key enrols nothing any more", changes);
        Seal(session, SecretKnowledge.KeyOf(SecretKind.LicenseKey, organization.Id), key, offboarding.Id, now);
    }

    private static async Task RotateLinks(IDocumentSession session, List<CustomClient> targets, DateTimeOffset now, List<OffboardingChange> changes, CancellationToken cancellation)
    {
        foreach (var target in targets)
        {
            var stream = await session.Events.FetchForWriting<CustomClient>(target.Id, cancellation);
            var state = stream.Aggregate!;
            var hide = CustomClientDecider.Decide(new SetCustomClientVisibility(false), state, Actor, now);
            Record(stream, "custom-client", target.Id, target.Name, hide, "made private", changes);

            // The new link is shown to no one: `control custom-clients rotate` hands out a fresh one when it is needed.
            var token = RegistrationTokens.New(RegistrationTokenKind.CustomClientLink, session.TenantId);
            var rotate = CustomClientDecider.Decide(new RotateCustomClientToken(Secrets.HashToken(token)), state, Actor, now);
            Record(stream, "custom-client", target.Id, target.Name, rotate, "link rotated: the old one is dead", changes);
        }
    }

    private void RotatePasswords(IDocumentSession session, List<Client> clients, Offboarding offboarding, DateTimeOffset now, List<OffboardingChange> changes)
    {
        // PBKDF2 per password dominates a mass rotation: the pool's were derived ahead of need, the rest on every core now.
        var generated = passwords.Take(clients.Count);
        for (var i = 0; i < clients.Count; i++)
        {
            var decision = ClientDecider.Decide(new SetUnattendedPassword(generated[i].Verifier, Generated: true), clients[i], Actor, now);
            AppendClient(session, clients[i], decision, "unattended password rotated (sealed: revealed to the admin who asks, as an event)", changes);
            if (!decision.IsRefused && decision.Events.Count > 0)
            {
                Seal(session, SecretKnowledge.KeyOf(SecretKind.UnattendedPassword, clients[i].Id), generated[i].Password, offboarding.Id, now);
            }
        }
    }

    /// <param name="changeOnly">The clients this transaction changes (null: every client in the state); the others are read for the wildcard report.</param>
    private static void RemoveFromAcls(
        IDocumentSession session, AccessState state, Person person, DateTimeOffset now, List<OffboardingChange> changes, List<string> notes, bool last,
        HashSet<Guid>? changeOnly = null)
    {
        var identities = person.AclIdentities().ToHashSet(StringComparer.Ordinal);
        foreach (var client in state.Clients.Where(c => changeOnly is null || changeOnly.Contains(c.Id)))
        {
            var entries = client.AclEntries.Where(identities.Contains).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            var events = new List<object>();
            var current = client;
            foreach (var entry in entries)
            {
                var decision = ClientDecider.Decide(new RemoveAclEntry(entry), current, Actor, now);
                events.AddRange(decision.Events);
                current = decision.Events.Aggregate(current, (c, e) => Client.Evolve(c, e)!);
            }

            AppendClient(session, client, Decision.Accept([.. events]), "removed from the access control list", changes);
        }

        if (!last)
        {
            return;
        }

        var organizationEntries = state.Organization.AclEntries.Where(identities.Contains).ToList();
        if (organizationEntries.Count > 0)
        {
            var organization = state.Organization;
            var version = organization.Version;
            foreach (var entry in organizationEntries)
            {
                var decision = OrganizationDecider.Decide(new RemoveOrganizationAclEntry(entry), organization, Actor, now);
                if (decision.Events.Count == 0)
                {
                    continue;
                }

                session.Events.Append(organization.Id, version + decision.Events.Count, decision.Events.ToArray());
                version += decision.Events.Count;
                changes.Add(new OffboardingChange("organization", organization.Id, organization.Slug, decision.Events[0].GetType().Name, version,
                    $"{entry} removed from the organization-wide access control list"));
                organization = decision.Events.Aggregate(organization, (o, e) => Organization.Evolve(o, e)!);
            }
        }

        foreach (var wildcard in state.Review().WildcardsMatching(person))
        {
            notes.Add($"wildcard {wildcard.Entry} on {wildcard.Client} matches {wildcard.Identity}: left in place; the alias is released (account disabled, certificates revoked, no new certificate for it)");
        }
    }

    private void Seal(IDocumentSession session, string id, string secret, Guid offboardingId, DateTimeOffset now) =>
        session.Store(new SealedSecret { Id = id, Protected = protector.Protect(System.Text.Encoding.UTF8.GetBytes(secret), SealedSecret.Purpose(id)), OffboardingId = offboardingId, SealedAt = now });
}
