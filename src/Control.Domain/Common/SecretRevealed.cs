namespace Control.Domain.Common;

public enum SecretKind
{
    LicenseKey,
    CustomClientLink,
    UnattendedPassword,
    ClientTotpSecret,
}

/// <summary>
/// Knowledge is an event: whenever Control shows a secret to someone, who saw which secret of which subject. The
/// exposure of a person (what they know now) is derived from these and the rotations that follow.
/// </summary>
public sealed record SecretRevealed(Guid SubjectId, SecretKind Secret, Actor To, DateTimeOffset At);
