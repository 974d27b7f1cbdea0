using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Control.EndToEnd.Tests;
using Microsoft.Playwright;
using OtpNet;

namespace Control.Portal.Tests;

/// <summary>
/// The real API as a process on a fresh PostgreSQL database (the end-to-end tests' <see cref="ApiProcess"/>), one
/// organization set up through the API, and Debian's Chromium driven by Playwright. Each test opens its own browser
/// context (no shared cookies) and makes its own operators, so the tests do not see each other's sessions.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime, IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Organization = "acme";
    public const string OwnerName = "alice";
    public const string Password = "Violet-Copper-Lantern-58";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private IPlaywright? _playwright;

    public ApiProcess Api { get; } = new PortalApi();

    public IBrowser Browser { get; private set; } = null!;

    public string Server => Api.Server.ToString().TrimEnd('/');

    /// <summary>The organization's license key (from setup, or the latest a test replaced it with), to enrol agents.</summary>
    public string LicenseKey { get; private set; } = "";

    /// <summary>The owner's bearer token, for the arrangements a test makes through the API as the CLI would.</summary>
    public string OwnerToken { get; private set; } = "";

    /// <summary>Where screenshots go: $CONTROL_TEST_ARTIFACTS, else TestResults/portal under the repository (git-ignored).</summary>
    public static string ArtifactsDirectory { get; } = Environment.GetEnvironmentVariable("CONTROL_TEST_ARTIFACTS") is { Length: > 0 } dir
        ? Path.Combine(dir, "portal")
        : Path.Combine(Artifacts.RepositoryRoot, "TestResults", "portal");

    public async Task InitializeAsync()
    {
        // A missing browser is a failure, not a skip: these tests are the portal's only proof.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing. The portal's browser tests drive Debian's Chromium: run them with ops/test (it installs chromium with apt-get) or apt-get install chromium.");
        }

        await Api.InitializeAsync();
        var token = (await File.ReadAllTextAsync(Api.BootstrapTokenFile)).Trim();
        LicenseKey = (await Call<SetupResponse>(HttpMethod.Post, "/setup", new SetupRequest(token, Organization, "Acme Inc.", OwnerName, Password))).LicenseKey;
        OwnerToken = (await Call<TokenResponse>(HttpMethod.Post, "/auth/login", new LoginRequest(Organization, OwnerName, Password, null, null))).AccessToken;

        Directory.CreateDirectory(ArtifactsDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Launch (not a persistent context) gives every run a fresh temporary profile, removed at close.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Api.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A fresh browser context (own cookies) at a desktop width, or 390 px wide like a phone.</summary>
    /// <param name="bypassCsp">Only to inject a test tool (axe-core) as an inline script; every other test runs under the real policy.</param>
    public async Task<IPage> NewPage(bool phone = false, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server,
            BypassCSP = bypassCsp,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Once a reveal-once dialog is closed, none of its secrets is anywhere in the page. The dialog leaves the page on its
    /// close event, a task after the click, so this waits (the default 5 s) for the secrets to go before reading the page.
    /// </summary>
    public static async Task AssertSecretsGone(IPage page, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            await Assertions.Expect(page.GetByText(secret)).ToHaveCountAsync(0);
        }

        var content = await page.ContentAsync();
        Assert.All(secrets, s => Assert.DoesNotContain(s, content, StringComparison.Ordinal));
    }

    public static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    /// <summary>An operator invited by the owner and activated with <see cref="Password"/>; returns their id and bearer token.</summary>
    public async Task<(Guid Id, string Token)> Operator(string username, string role)
    {
        var invited = await Call<InviteOperatorResponse>(HttpMethod.Post, "/operators", new InviteOperatorRequest(username, role, "portal test"), OwnerToken);
        await Call<JsonElement?>(HttpMethod.Post, "/auth/activate", new ActivateRequest(Organization, username, invited.ActivationCode, Password));
        var tokens = await Call<TokenResponse>(HttpMethod.Post, "/auth/login", new LoginRequest(Organization, username, Password, null, null));
        return (invited.Id, tokens.AccessToken);
    }

    /// <summary>
    /// Turns on 2FA for the token's operator, confirming with the previous time step's code (accepted: one step of drift),
    /// so the current step's code is still unused for the sign-in the test then makes.
    /// </summary>
    public async Task<Totp> EnrollTwoFactor(string token)
    {
        var enrollment = await Call<TwoFactorEnrollmentResponse>(HttpMethod.Post, "/me/2fa/enroll", null, token);
        var totp = new Totp(Base32Encoding.ToBytes(enrollment.Secret));
        await Call<RecoveryCodesResponse>(HttpMethod.Post, "/me/2fa/confirm", new TwoFactorCodeRequest(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(-30)), null), token);
        return totp;
    }

    /// <summary>Enrols <paramref name="agent"/> as <paramref name="alias"/> with the license key, starts it, and waits until the API has seen it.</summary>
    internal async Task<ClientSummary> StartAgent(AgentDaemon agent, string alias, params string[] options)
    {
        var keyFile = Path.Combine(Api.Root, alias + "-license-key");
        await File.WriteAllTextAsync(keyFile, LicenseKey);
        var enrol = await agent.EnrollAsync(Server, keyFile, alias);
        Assert.True(enrol.ExitCode == 0, $"{enrol}{Environment.NewLine}{Api.Log}");
        agent.Start(options);
        ClientSummary? found = null;
        await Eventually.Until(async () =>
        {
            found = (await Call<List<ClientSummary>>(HttpMethod.Get, "/clients", null, OwnerToken))
                .FirstOrDefault(c => c.Alias == $"{alias}@{Organization}" && c.LastSeenAt is not null);
            return found is not null;
        }, "the agent to be seen", TimeSpan.FromSeconds(60), () => agent.Log);
        return found!;
    }

    /// <summary>Enrols a client with a fresh key through the API, as an agent does, without running one (for tests that need a client, not its enforcement).</summary>
    public async Task<EnrollResponse> EnrollClient(string alias)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return await Call<EnrollResponse>(HttpMethod.Post, "/agent/enroll",
            new EnrollRequest(LicenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), alias, alias + "-host"));
    }

    /// <summary>A test replaced the license key (an offboarding does) and saw the new one: later tests enrol with it.</summary>
    public void LicenseKeyReplaced(string key) => LicenseKey = key;

    /// <summary>Replaces the license key through the API and keeps the new one (after a test replaced it without seeing it).</summary>
    public async Task ResetLicenseKey(string reason) =>
        LicenseKey = (await Call<LicenseKeyResponse>(HttpMethod.Post, "/license/reset", new ReasonRequest(reason), OwnerToken)).LicenseKey;

    public Task<T> Call<T>(HttpMethod method, string path, object? body, string? token = null) =>
        Send<T>(method, path, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json),
            token is null ? null : new AuthenticationHeaderValue("Bearer", token));

    /// <summary>Reports session events as the enrolled client's agent does (POST /agent/session-events).</summary>
    public Task ReportSession(EnrollResponse client, params SessionEvent[] events) =>
        CallAsAgent<AgentSessionEventsAccepted>(HttpMethod.Post, "/agent/session-events", JsonContent.Create(new AgentSessionEventBatch([.. events.Select(e =>
            new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), Json)))]), options: Json), client.Credential);

    /// <summary>A call as the enrolled client's agent (its credential from <see cref="EnrollClient"/>).</summary>
    public Task<T> CallAsAgent<T>(HttpMethod method, string path, HttpContent content, string credential) =>
        Send<T>(method, path, content, new AuthenticationHeaderValue("ControlAgent", credential));

    private async Task<T> Send<T>(HttpMethod method, string path, HttpContent? content, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(method, Server + path) { Content = content };
        request.Headers.Authorization = authorization;
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}{Environment.NewLine}{Api.Log}");
        return text.Length == 0 ? default! : JsonSerializer.Deserialize<T>(text, Json)!;
    }
}

/// <summary>The API as the tests run it: every test signs in from 127.0.0.1, more often than the default per-address limit allows.</summary>
public sealed class PortalApi : ApiProcess
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Control__SignInAttemptsPerMinute", "1000")];
}

[CollectionDefinition("portal")]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>;
