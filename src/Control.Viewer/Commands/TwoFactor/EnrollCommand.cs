using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;
using QRCoder;

namespace Control.Viewer.Commands.TwoFactor;

/// <summary><c>control 2fa enroll</c>: a new TOTP secret, as a QR code and as text; 2FA is on only after <c>confirm</c>.</summary>
internal static class EnrollCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code (print only the URI and the secret)" };
        var json = GlobalOptions.Json();
        var command = new Command("enroll", "Start turning on 2FA: shows a QR code and secret for your authenticator app") { noQr, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var enrollment = await api.PostAsync<TwoFactorEnrollmentResponse>("me/2fa/enroll", null, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, enrollment);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync("Add this account to your authenticator app: scan the QR code, or enter the secret by hand.");
            if (!parse.GetValue(noQr))
            {
                await context.Out.WriteLineAsync();
                await context.Out.WriteLineAsync(QrCode(enrollment.OtpAuthUri));
            }

            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"URI:    {enrollment.OtpAuthUri}");
            await context.Out.WriteLineAsync($"Secret: {enrollment.Secret}");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("Then turn 2FA on with the code the app shows:");
            await context.Out.WriteLineAsync("    control 2fa confirm CODE");
            return Cli.Success;
        });
        return command;
    }

    /// <summary>
    /// Half-block characters, two modules per character cell. QRCoder draws the light modules (and the quiet zone) by
    /// default, which suits the usual light-on-dark terminal: a phone then sees dark modules on a light field.
    /// </summary>
    public static string QrCode(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var code = new AsciiQRCode(data);
        return code.GetGraphicSmall(drawQuietZones: true, invert: false);
    }
}
