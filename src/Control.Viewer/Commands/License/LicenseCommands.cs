using System.CommandLine;

namespace Control.Viewer.Commands.License;

/// <summary><c>control license ...</c>: the organization's license key, which enrols its clients.</summary>
internal static class LicenseCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("license", "Your organization's license key (it enrols clients)") { ResetCommand.Create(context, globals), Offboarding.RevealCommands.License(context, globals) };
}
