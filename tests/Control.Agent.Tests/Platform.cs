// The agent's tests check Unix file modes and stop it with SIGTERM, as systemd does.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
