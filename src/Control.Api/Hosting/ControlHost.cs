using Control.Api.Auth;
using Control.Api.Features.Setup;
using Control.Api.Infrastructure;
using Control.Api.Features.PolicyDelivery;
using Control.Api.Features.Receipts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using JasperFx;
using FluentValidation;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;
using Weasel.Core;

namespace Control.Api.Hosting;

/// <summary>All of the API's wiring, so Program.cs stays a few lines and tests boot exactly the same app.</summary>
public static class ControlHost
{
    public static WebApplicationBuilder AddControl(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ControlOptions.Section);
        services.Configure<ControlOptions>(section);
        var control = section.Get<ControlOptions>() ?? new ControlOptions();

        var connectionString = builder.Configuration.GetConnectionString("Control");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database: set ConnectionStrings__Control to a PostgreSQL 15+ connection string (ops/up does this for the embedded default).");
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KeyRing>();
        services.AddSingleton<SecretProtector>();
        services.AddDataProtection().SetApplicationName("control");
        services.AddSingleton<PostgresXmlRepository>();
        services.AddSingleton<MasterKeyXmlEncryptor>();
        services.AddOptions<KeyManagementOptions>().Configure<PostgresXmlRepository, MasterKeyXmlEncryptor>((o, repository, encryptor) =>
        {
            o.XmlRepository = repository;
            o.XmlEncryptor = encryptor;
        });
        services.AddSingleton<CommonPasswords>();
        services.AddSingleton<Passwords>();
        services.AddHttpContextAccessor();
        services.AddValidatorsFromAssemblyContaining<RequestValidationPolicy>(ServiceLifetime.Singleton);
        services.AddSingleton<TokenService>();
        services.AddSingleton<BootstrapToken>();
        services.AddSingleton<Features.Organizations.OrganizationFounding>();
        services.AddSingleton<Features.Viewers.ViewerCertificateAuthority>();
        services.AddSingleton<Features.Access.AccessEventLog>();
        services.AddPolicyPipeline();
        services.AddReceiptPipeline();
        services.AddSingleton<Features.Sessions.NpgsqlRecordings>();
        services.AddSingleton<Features.Clients.GeneratedPasswords>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Clients.GeneratedPasswords>());
        services.AddSingleton<Features.Offboardings.OffboardingStepRunner>();
        services.AddSingleton<Features.Audit.Chain.AuditChainVerifier>();
        services.AddSingleton<Features.Audit.Forwarding.SyslogForwarder>();

        services.AddNpgsqlDataSource(connectionString);
        var marten = services.AddMarten(opts =>
            {
                opts.DatabaseSchemaName = control.DatabaseSchema;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

                // One tenant per organization, all in one database: every row carries its organization's slug.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();

                // The audit envelope: who (user name), why (headers), and the correlation of every event.
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                foreach (var index in EventTableIndexes.Names)
                {
                    opts.Events.IgnoreIndex(index);
                }

                // A session that opts a type into its identity map (IDocumentSession.UseIdentityMapFor) hands the documents it
                // loaded to the inline projections of its events, which otherwise read them again from the database (the
                // offboarding's ACL step loads each batch's clients to decide, and projecting them would read them again).
                opts.Events.UseIdentityMapForAggregates = true;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();

        // Each feature registers its own documents, indexes and inline projections (applied after the settings above).
        services.ConfigureMarten(AuthStorage.Configure);
        services.ConfigureMarten(SetupStorage.Configure);
        services.ConfigureMarten(Features.Operators.OperatorStorage.Configure);
        services.ConfigureMarten(Features.Organizations.OrganizationStorage.Configure);
        services.ConfigureMarten(Features.Clients.ClientStorage.Configure);
        services.ConfigureMarten(Features.CustomClients.CustomClientStorage.Configure);
        services.ConfigureMarten(Features.Agents.AgentStorage.Configure);
        services.ConfigureMarten(Features.Sessions.SessionStorage.Configure);
        services.ConfigureMarten(Features.People.PeopleStorage.Configure);
        services.ConfigureMarten(Features.Offboardings.OffboardingStorage.Configure);
        services.ConfigureMarten(Features.Audit.Forwarding.ForwardingStorage.Configure);
        if (control.Syslog.Enabled)
        {
            // New events reach the syslog forwarder through a subscription of Marten's async daemon (its progress is stored
            // with the messages it publishes); only this needs the daemon, so it runs only when forwarding is on.
            marten.AddAsyncDaemon(control.SingleNode ? DaemonMode.Solo : DaemonMode.HotCold)
                .SubscribeToEvents(new Features.Audit.Forwarding.AuditForwardingSubscription());
        }

        // After Marten's schema (registered above, so started before): the audit chain's tables and trigger.
        services.AddHostedService<Features.Audit.Chain.AuditChainInstaller>();

        // After Marten's own start-up work (hosted services start in registration order): indexes on its event tables.
        services.AddHostedService<EventTableIndexes>();

        // Production loads the handler code generated at build time (Internal/Generated, `codegen write`) and refuses
        // to start if any is missing; Development (and the in-process tests) generate it on the fly.
        services.CritterStackDefaults(x =>
        {
            if (control.GeneratedCodeOutputPath is { Length: > 0 } output)
            {
                x.GeneratedCodeOutputPath = output;
            }
            else
            {
                x.AutoResolveProjectRoot = true;
            }

            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
            x.Production.AssertAllPreGeneratedTypesExist = true;
            x.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
        });
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.Policies.AutoApplyTransactions();

            // Offboarding steps travel on durable local queues (stored in PostgreSQL with the changes that send them), so
            // a killed process's unfinished steps are recovered, by itself when it is the only node, or by another node.
            opts.Policies.UseDurableLocalQueues();
            opts.PublishMessage<Features.Audit.Forwarding.ForwardAuditEntries>().ToLocalQueue(Features.Audit.Forwarding.ForwardAuditEntriesHandler.Queue);
            opts.LocalQueue(Features.Audit.Forwarding.ForwardAuditEntriesHandler.Queue).Sequential();
            opts.Durability.Mode = control.SingleNode ? DurabilityMode.Solo : DurabilityMode.Balanced;
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
            opts.OnException<JasperFx.ConcurrencyException>().RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
            opts.OnException<Exception>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10));
        });
        services.AddWolverineHttp();

        // One default scheme that picks by header: operators' CLI sends "Bearer <jwt>", agents "ControlAgent <credential>",
        // and a browser neither: the portal's session cookie. Operator policies use a scheme that never picks the agent's.
        services.AddSingleton<PortalSessions>();
        services.AddAuthentication("control")
            .AddPolicyScheme("control", "operator or agent", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith(AgentAuthentication.SchemeName + " ", StringComparison.Ordinal)
                    ? AgentAuthentication.SchemeName
                    : OperatorScheme(http))
            .AddPolicyScheme(Policies.OperatorScheme, "operator (bearer token or portal session)", o => o.ForwardDefaultSelector = OperatorScheme)
            .AddJwtBearer()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AgentAuthentication>(AgentAuthentication.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, PortalAuthentication>(PortalAuthentication.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((jwt, tokens) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = tokens.ValidationParameters;
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = SecurityStampCheck.OnTokenValidated,
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Problems.Write(context.HttpContext, StatusCodes.Status401Unauthorized, "Not signed in.",
                        "Sign in (control login) and send the access token as a Bearer token. Tokens die when the account is disabled or its password or 2FA is reset.");
                },
                OnForbidden = context => Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed.", "Your role may not do this."),
            };
        });
        services.AddAuthorization(Policies.Configure);
        services.AddRateLimiter(o => RateLimits.Configure(o, control));

        services.AddProblemDetails();
        var proxies = TrustedProxies.Parse(control.TrustedProxies);
        services.Configure<ForwardedHeadersOptions>(o => TrustedProxies.Configure(o, proxies));
        services.AddExceptionHandler<ExceptionMapping>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
        services.AddOpenApi();
        services.AddHostedService(sp => sp.GetRequiredService<BootstrapToken>());
        return builder;
    }

    public static WebApplication UseControl(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ControlOptions>>().Value.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePortalFiles();
        app.UseAuthentication();
        app.UseCsrfProtection();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapWolverineEndpoints(opts =>
        {
            // The organization comes from the verified token, never from anything the caller can simply write.
            opts.TenantId.IsClaimTypeNamed(ControlClaims.Organization);
            opts.RejectUnparseableQueryValues = true;
            opts.AddPolicy<RequestValidationPolicy>();
            opts.AddPolicy<AuditPolicy>();
        });
        return app;
    }

    // Only an Authorization header starting "Bearer " makes a request a bearer request; anything else is the portal's cookie
    // (absent for the CLI and agents, so they are simply not authenticated by it).
    private static string OperatorScheme(HttpContext http) =>
        http.Request.Headers.Authorization.ToString().StartsWith(JwtBearerDefaults.AuthenticationScheme + " ", StringComparison.Ordinal)
            ? JwtBearerDefaults.AuthenticationScheme
            : PortalAuthentication.SchemeName;
}
