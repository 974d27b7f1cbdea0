using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Sessions;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace Control.Api.Features.People;

/// <summary>People's documents: the folded person and the exposure of every secret (both inline).</summary>
public static class PeopleStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<PersonProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ExposureProjection>(ProjectionLifecycle.Inline);
    }
}

public sealed class PersonProjection : SingleStreamProjection<Person, Guid>
{
    public PersonProjection() => this.IncludeEventsOf<Person>();

    public override Person? Evolve(Person? snapshot, Guid id, IEvent e) => Person.Evolve(snapshot, e.Data);
}

/// <summary>
/// The exposure projection: one <see cref="SecretKnowledge"/> per secret, across the streams that reveal, use or rotate it
/// (organization, clients, custom clients, operators, people, sessions). Inline, so an offboarding reads what is known
/// in the same transaction's state. The fold and the event-to-secret mapping live in the domain.
/// </summary>
public sealed class ExposureProjection : MultiStreamProjection<SecretKnowledge, string>
{
    public ExposureProjection()
    {
        Key<SecretRevealed>();
        Key<PersonKnowledgeRecorded>();
        Key<UnattendedPasswordSet>();
        Key<SessionAuthenticated>();
        Key<LicenseKeyReset>();
        Key<CustomClientTokenRotated>();
        Key<CustomClientDeleted>();
        Key<ClientTwoFactorEnrollmentStarted>();
        Key<ClientTwoFactorDisabled>();
        Key<OperatorPasswordReset>();
        Key<OperatorPasswordChanged>();
        Key<RememberTokenIssued>();
        Key<TokensCleared>();
        Key<RememberTokenRevoked>();
    }

    private void Key<T>() where T : notnull =>
        Identities<T>(e => SecretKnowledge.KeyOf(e) is { } key ? [key] : []);

    public override SecretKnowledge? Evolve(SecretKnowledge? snapshot, string id, IEvent e) => SecretKnowledge.Evolve(snapshot, id, e.Data);
}
