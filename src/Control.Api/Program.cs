using Control.Api.Hosting;
using JasperFx;

// Settings ship beside the binary; the working directory is wherever the operator happens to start it from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddControl();

var app = builder.Build();
app.UseControl();

// JasperFx commands: `codegen`, `db-apply` (schema for locked-down databases), `describe`, ...
return await app.RunJasperFxCommands(args);

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
