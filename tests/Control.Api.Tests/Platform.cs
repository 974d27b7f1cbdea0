// Control runs its server, agent and tests on Linux (pseudo-terminals, Unix file modes, a private PostgreSQL cluster).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
