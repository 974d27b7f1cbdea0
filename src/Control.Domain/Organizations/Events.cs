using Control.Domain.Common;

namespace Control.Domain.Organizations;

/// <summary>An organization (license holder, tenant) came into being. Its slug is its namespace: aliases are <c>name@slug</c>.</summary>
public sealed record OrganizationCreated(Guid OrganizationId, string Slug, string Name, Actor By, DateTimeOffset At);
