using Alba;
using Control.Domain.Contracts;
using Client = Control.Api.Tests.Support.Client;

namespace Control.Api.Tests.Support;

/// <summary>
/// One API host and database for the "api" collection. It performs the bootstrap setup once (a root organization);
/// each test then creates its own organization, so tests never see each other's data.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Password = "a long and unusual passphrase 42";

    /// <summary>Small recording limits, so that tests reach them without moving gigabytes.</summary>
    public const int MaxRecordingBytesPerSession = 1024 * 1024;

    public const int MaxRecordingBytesPerClientPerDay = 3 * MaxRecordingBytesPerSession;

    public IAlbaHost Host { get; private set; } = null!;
    public TestDatabase Database { get; private set; } = null!;
    public LogCapture Logs { get; } = new();
    /// <summary>
    /// Set, the fixture keeps its database there when it ends (with the master key its secrets are sealed under): how
    /// <c>StoredData/</c>'s database of an earlier build was written (see <see cref="StoredData.StoredDataTests"/>).
    /// </summary>
    public const string KeepDatabaseVariable = "CONTROL_TEST_KEEP_DATABASE";

    private static readonly string? KeepDatabaseIn = Environment.GetEnvironmentVariable(KeepDatabaseVariable) is { Length: > 0 } keep ? keep : null;

    public string MasterKey { get; } = ApiHost.NewMasterKey();
    public string DataDirectory { get; } = ApiHost.NewTempDirectory();
    private string _rootToken = "";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.Create("api");
        Host = await ApiHost.Start(Database.ConnectionString, DataDirectory, MasterKey, Logs, settings: new Dictionary<string, string>
        {
            ["Control:MaxRecordingBytesPerSession"] = MaxRecordingBytesPerSession.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Control:MaxRecordingBytesPerClientPerDay"] = MaxRecordingBytesPerClientPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var token = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "bootstrap-token"))).Trim();
        var client = new Client(Host);
        await client.PostOk<SetupResponse>("/setup", new SetupRequest(token, "root", "Root", "root", Password));
        _rootToken = (await client.Login("root", "root", Password)).AccessToken;
    }

    public Client Anonymous() => new(Host);

    /// <summary>A fresh organization with an owner signed in.</summary>
    public async Task<Organization> NewOrganization()
    {
        var slug = "t" + Guid.NewGuid().ToString("N")[..10];
        var root = new Client(Host, _rootToken);
        var created = await root.PostOk<SetupResponse>("/organizations", new CreateOrganizationRequest(slug, "Test " + slug, "owner", Password, "test"));
        var owner = new Client(Host);
        owner.Token = (await owner.Login(slug, "owner", Password)).AccessToken;
        return new Organization(this, slug, created.OwnerId, owner, created.LicenseKey);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Database is not null)
        {
            if (KeepDatabaseIn is { } keep)
            {
                Directory.CreateDirectory(keep);
                await PostgresTools.Dump(Database.ConnectionString, Path.Combine(keep, StoredData.StoredDataTests.DumpFile));
                await File.WriteAllTextAsync(Path.Combine(keep, StoredData.StoredDataTests.MasterKeyFile), MasterKey);
            }

            await Database.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}

public sealed record Organization(ApiFixture Fixture, string Slug, Guid OwnerId, Client Owner, string LicenseKey)
{
    public Task<TestAgent> Agent(string? alias = null) => TestAgent.Enroll(Fixture.Anonymous(), LicenseKey, alias);

    public async Task<ClientChangeResponse> Change(TestAgent agent, string action, ClientChangeRequest request)
    {
        var response = await Owner.Post($"/clients/{agent.Enrolment.ClientId}/{action}", request);
        return await Client.Read<ClientChangeResponse>(response, System.Net.HttpStatusCode.OK);
    }

    /// <summary>Invites an operator, activates the account and signs it in.</summary>
    public async Task<(Guid Id, Client Client)> Operator(string username, string role, string password = ApiFixture.Password)
    {
        var invited = await Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest(username, role, "test"));
        var anonymous = Fixture.Anonymous();
        var activated = await anonymous.Post("/auth/activate", new ActivateRequest(Slug, username, invited.ActivationCode, password));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, activated.StatusCode);
        anonymous.Token = (await anonymous.Login(Slug, username, password)).AccessToken;
        return (invited.Id, anonymous);
    }
}

[CollectionDefinition("api")]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>;
