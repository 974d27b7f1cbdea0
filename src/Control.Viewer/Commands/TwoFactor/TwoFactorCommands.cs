using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.TwoFactor;

/// <summary><c>control 2fa ...</c>: your own TOTP second factor.</summary>
internal static class TwoFactorCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) => new("2fa", "Turn on two-factor authentication (TOTP) and manage recovery codes")
    {
        EnrollCommand.Create(context, globals),
        ConfirmCommand.Create(context, globals),
        RecoveryCodesCommand.Create(context, globals),
    };

    /// <summary>The six digits an authenticator app shows; spaces are allowed as apps display "123 456".</summary>
    public static Argument<string> CodeArgument() => new("CODE")
    {
        Description = "The 6-digit code your authenticator app shows now",
        Validators =
        {
            result =>
            {
                var code = result.Tokens.Count > 0 ? result.Tokens[0].Value.Replace(" ", "", StringComparison.Ordinal) : "";
                if (code.Length != 6 || !code.All(char.IsAsciiDigit))
                {
                    result.AddError("CODE is the 6 digits your authenticator app shows.");
                }
            },
        },
    };

    public static string Normalize(string code) => code.Replace(" ", "", StringComparison.Ordinal);

    public static async Task WriteRecoveryCodesAsync(TextWriter output, IReadOnlyList<string> codes)
    {
        await output.WriteLineAsync(
            "Recovery codes: each one works once in place of an authentication code, if you lose your authenticator.");
        await output.WriteLineAsync(
            "Store them now somewhere safe and apart from this computer (a password manager, or on paper): they are shown only now.");
        await output.WriteLineAsync();
        foreach (var code in codes)
        {
            await output.WriteLineAsync("    " + code);
        }
    }

    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["code"] = "CODE",
    };
}
