using Marten;

namespace Control.Api.Features.Audit.Forwarding;

/// <summary>Syslog forwarding's storage: its progress table, part of the schema Marten creates or migrates.</summary>
public static class ForwardingStorage
{
    public static void Configure(StoreOptions opts) => opts.Storage.ExtendedSchemaObjects.Add(SyslogForwarder.Table(opts.DatabaseSchemaName));
}
