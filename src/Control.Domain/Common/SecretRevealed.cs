namespace Control.Domain.Common;

public enum SecretKind
{
    LicenseKey,
    CustomClientLink,
    UnattendedPassword,
    ClientTotpSecret,

    /// <summary>The password of an operator account that several people share (a "shared portal credential"), recorded by an admin.</summary>
    OperatorPassword,

    /// <summary>A remember-token an agent issued to a viewer (known from the session events, never shown).</summary>
    RememberToken,
}

/// <summary>
/// Knowledge is an event: whenever Control shows a secret to someone, who saw which secret of which subject. The
/// exposure of a person (what they know now) is derived from these and the rotations that follow.
/// </summary>
public sealed record SecretRevealed(Guid SubjectId, SecretKind Secret, Actor To, DateTimeOffset At);
