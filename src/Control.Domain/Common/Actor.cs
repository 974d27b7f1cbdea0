namespace Control.Domain.Common;

/// <summary>
/// Who caused a change. Operators are named <c>username@namespace</c>; changes the system makes on its own
/// (bootstrap, scheduled work) carry a <c>system:</c> name and no operator id.
/// </summary>
public sealed record Actor(Guid? OperatorId, string Name)
{
    public static Actor System(string what) => new(null, "system:" + what);

    public static Actor Operator(Guid operatorId, string username, string organizationSlug) =>
        new(operatorId, $"{username}@{organizationSlug}");

    public override string ToString() => Name;
}
