using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Security;

namespace Control.Domain.Offboarding;

/// <summary>
/// What each offboarding step changes and reports, decided with the same deciders the API's own endpoints use. Exposure
/// mode rotates what the person knows; full mode also what they could reach. A step that needs a stream's latest state
/// (accounts under the owners' lock, custom clients) selects its targets first and is decided again on the fresh state.
/// New secrets come in as arguments: nothing here draws randomness, reads a clock or touches storage.
/// </summary>
public static partial class OffboardingDecider
{
    /// <summary>Whose secrets these are: the ones the person is among the knowers of.</summary>
    public static IReadOnlyList<SecretKnowledge> ExposureOf(Person person, IEnumerable<SecretKnowledge> knowledge) =>
        knowledge.Where(k => k.KnownBy(person).Any()).ToList();

    /// <summary><see cref="OffboardingStep.RemoveTheirClients"/>: their clients leave the organization; one already gone is a note.</summary>
    public static OffboardingStepDecision RemoveTheirClients(OffboardingFacts facts, Actor actor, DateTimeOffset now)
    {
        var own = facts.Person.Clients.Select(c => c.ClientId).ToHashSet();
        return OffboardingStepDecision.Of(
            ChangeClients(facts.Clients.Where(c => own.Contains(c.Id)), new RemoveClient(), "removed from the organization", actor, now),
            [.. facts.Person.Clients.Where(c => !facts.Clients.Any(x => x.Id == c.ClientId)).Select(c => $"{c.Label} was removed before")]);
    }

    /// <summary>The accounts <see cref="OffboardingStep.DisableAccountsAndResetPortalPasswords"/> changes (read again under the owners' lock).</summary>
    public static AccountsAtStake AccountsToChange(OffboardingFacts facts)
    {
        var theirs = facts.Person.Operators.Select(o => o.OperatorId).ToHashSet();
        var shared = facts.Exposure.Where(k => k.Secret == SecretKind.OperatorPassword && !theirs.Contains(k.SubjectId))
            .Select(k => facts.Operators.FirstOrDefault(o => o.Id == k.SubjectId))
            .OfType<Operator>().Where(o => o.Status != OperatorStatus.Disabled).DistinctBy(o => o.Id).ToList();
        return new AccountsAtStake([.. facts.Operators.Where(o => theirs.Contains(o.Id))], shared);
    }

    /// <summary>
    /// <see cref="OffboardingStep.DisableAccountsAndResetPortalPasswords"/>, on the accounts as read under the owners' lock:
    /// every change is decided with the starter's authority (never an owner's), a refused one is a note and its account's
    /// certificates stay; a disabled or reset owner no longer counts towards the last active owner.
    /// </summary>
    /// <param name="activationCodeHashes">One new activation code per shared account, shown to no one: an admin resets the account again to hand it out.</param>
    public static OffboardingStepDecision DisableAccountsAndResetPortalPasswords(
        AccountsAtStake accounts, Organization organization, int activeOwners, IReadOnlyList<string> activationCodeHashes, OffboardingAuthority authority,
        Actor actor, DateTimeOffset now)
    {
        var changes = new List<OffboardingStreamChange>();
        var notes = new List<string>();
        var owners = activeOwners;
        var organizationVersion = organization.Version;
        foreach (var account in accounts.Theirs)
        {
            var decision = OperatorDecider.Decide(new DisableOperator(owners), account, authority, actor, now);
            if (decision.Refusal is { } refusal)
            {
                notes.Add($"{account.QualifiedName}: {refusal.Message}");
                continue;
            }

            Add(changes, OffboardingTargets.Operator, account.Id, account.QualifiedName, account.Version, decision, "disabled: every token dies at once");
            owners -= IsActiveOwner(account) && decision.Events.Count > 0 ? 1 : 0;
            // Its certificates die with it: one revocation on the organization's stream, in every client's next policy.
            var revocation = OperatorDecider.Decide(new RevokeViewerCertificates(), account, organization, actor, now);
            organizationVersion += Add(changes, OffboardingTargets.Organization, organization.Id, organization.Slug, organizationVersion, revocation,
                $"viewer certificates of {account.QualifiedName} revoked");
            organization = revocation.Events.Aggregate(organization, (o, e) => Organization.Evolve(o, e)!);
        }

        for (var i = 0; i < accounts.Shared.Count; i++)
        {
            var account = accounts.Shared[i];
            var decision = OperatorDecider.Decide(new ResetPassword(activationCodeHashes[i], now, owners), account, authority, actor, now);
            if (decision.Refusal is { } refusal)
            {
                notes.Add($"{account.QualifiedName} (shared password): {refusal.Message}");
                continue;
            }

            Add(changes, OffboardingTargets.Operator, account.Id, account.QualifiedName, account.Version, decision,
                "shared password reset: its tokens die; an admin resets it again to hand out a new one");
            // A reset owner cannot sign in until someone hands over a code nobody holds: no longer counted.
            owners -= IsActiveOwner(account) ? 1 : 0;
        }

        return OffboardingStepDecision.Of(changes, notes);
    }

    /// <summary><see cref="OffboardingStep.ResetLicenseKey"/>: only if they knew it (exposure) or in full mode; the new key is sealed.</summary>
    public static OffboardingStepDecision ResetLicenseKey(OffboardingFacts facts, string newKey, Actor actor, DateTimeOffset now)
    {
        if (!facts.Full && facts.Knows(SecretKind.LicenseKey).Count == 0)
        {
            return OffboardingStepDecision.Of([], "they did not know the current license key: left as it is");
        }

        var organization = facts.Organization;
        var decision = OrganizationDecider.Decide(new Organizations.ResetLicenseKey(Secrets.HashToken(newKey)), organization, actor, now);
        var changes = new List<OffboardingStreamChange>();
        Add(changes, OffboardingTargets.Organization, organization.Id, organization.Slug, organization.Version, decision,
            "license key reset: the old key enrols nothing any more");
        return new OffboardingStepDecision(changes, [], [new OffboardingSealedSecret(SecretKnowledge.KeyOf(SecretKind.LicenseKey, organization.Id), newKey)]);
    }

    /// <summary>The custom clients <see cref="OffboardingStep.MakeCustomClientLinksPrivate"/> changes: links they knew, and in full mode every public one.</summary>
    public static IReadOnlyList<CustomClient> LinksToRotate(OffboardingFacts facts)
    {
        var links = facts.Knows(SecretKind.CustomClientLink);
        return [.. facts.CustomClients.Where(c => !c.Deleted && (links.Contains(c.Id) || (facts.Full && c.Public)))];
    }

    /// <summary>
    /// <see cref="OffboardingStep.MakeCustomClientLinksPrivate"/> on the custom clients as read for writing: each made private
    /// and given a new link that is shown to no one (<c>control custom-clients rotate</c> hands out a fresh one when needed).
    /// </summary>
    public static OffboardingStepDecision MakeCustomClientLinksPrivate(
        IReadOnlyList<CustomClient> targets, IReadOnlyList<string> newTokenHashes, Actor actor, DateTimeOffset now)
    {
        var changes = new List<OffboardingStreamChange>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var hide = CustomClientDecider.Decide(new SetCustomClientVisibility(false), target, actor, now);
            var hidden = Add(changes, OffboardingTargets.CustomClient, target.Id, target.Name, target.Version, hide, "made private");
            var rotate = CustomClientDecider.Decide(new RotateCustomClientToken(newTokenHashes[i]), target, actor, now);
            Add(changes, OffboardingTargets.CustomClient, target.Id, target.Name, target.Version + hidden, rotate, "link rotated: the old one is dead");
        }

        return targets.Count == 0 ? OffboardingStepDecision.Of(changes, "no custom-client link to rotate") : OffboardingStepDecision.Of(changes);
    }

    /// <summary><see cref="OffboardingStep.ClearAllTokens"/> on every client where they hold a remember-token.</summary>
    public static OffboardingStepDecision ClearAllTokens(OffboardingFacts facts, Actor actor, DateTimeOffset now)
    {
        var holding = facts.Knows(SecretKind.RememberToken);
        return OffboardingStepDecision.Of(ChangeClients(facts.Clients.Where(c => holding.Contains(c.Id)), new ClearTokens(), "all remember-tokens cleared", actor, now));
    }

    /// <summary>
    /// The clients whose unattended password <see cref="OffboardingStep.ChangeUnattendedAccessPasswords"/> changes: the ones
    /// they know, and in full mode every one they could reach.
    /// </summary>
    public static IReadOnlyList<Client> PasswordsToChange(OffboardingFacts facts)
    {
        var known = facts.Knows(SecretKind.UnattendedPassword);
        var identities = facts.Person.AclIdentities();
        return [.. facts.Clients.Where(c => c.Unattended.Verifier is not null && (known.Contains(c.Id) || (facts.Full && CouldReach(c, facts.Organization, identities))))];
    }

    /// <summary>Whether any of the identities is admitted by the client's ACL (or the ACL is off).</summary>
    public static bool CouldReach(Client client, Organization organization, IReadOnlyList<string> identities) =>
        !client.AclEnabled || client.AclEntries.Concat(organization.AclEntries)
            .Any(e => AclEntry.TryParse(e, out var entry, out _) && identities.Any(entry.Matches));

    /// <summary><see cref="OffboardingStep.ChangeUnattendedAccessPasswords"/>: one new generated password per client, sealed.</summary>
    /// <param name="passwords">One per client, in order.</param>
    public static OffboardingStepDecision ChangeUnattendedAccessPasswords(
        IReadOnlyList<Client> clients, IReadOnlyList<(string Password, ScramVerifier Verifier)> passwords, Actor actor, DateTimeOffset now)
    {
        var changes = new List<OffboardingStreamChange>();
        var sealedSecrets = new List<OffboardingSealedSecret>();
        for (var i = 0; i < clients.Count; i++)
        {
            var decision = ClientDecider.Decide(new SetUnattendedPassword(passwords[i].Verifier, Generated: true), clients[i], actor, now);
            if (ChangeClient(changes, clients[i], decision, "unattended password rotated (sealed: revealed to the admin who asks, as an event)"))
            {
                sealedSecrets.Add(new OffboardingSealedSecret(SecretKnowledge.KeyOf(SecretKind.UnattendedPassword, clients[i].Id), passwords[i].Password));
            }
        }

        return new OffboardingStepDecision(changes, [], sealedSecrets);
    }

    /// <summary>One decision per client, against the version read.</summary>
    private static List<OffboardingStreamChange> ChangeClients(IEnumerable<Client> clients, ClientCommand command, string what, Actor actor, DateTimeOffset now)
    {
        var changes = new List<OffboardingStreamChange>();
        foreach (var client in clients)
        {
            ChangeClient(changes, client, ClientDecider.Decide(command, client, actor, now), what);
        }

        return changes;
    }

    private static bool ChangeClient(List<OffboardingStreamChange> changes, Client client, Decision decision, string what) =>
        Add(changes, OffboardingTargets.Client, client.Id, AccessReview.Label(client), client.Version, decision, what) > 0;

    /// <summary>Adds an accepted decision's events as a change of their stream; returns how many events it added.</summary>
    private static int Add(List<OffboardingStreamChange> changes, string kind, Guid id, string label, long version, Decision decision, string what)
    {
        if (decision.IsRefused || decision.Events.Count == 0)
        {
            return 0;
        }

        changes.Add(new OffboardingStreamChange(kind, id, label, version, decision.Events, what));
        return decision.Events.Count;
    }

    private static bool IsActiveOwner(Operator account) => account is { Role: OperatorRole.Owner, Status: OperatorStatus.Active };
}
