using System.Net;
using Control.Http;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

public sealed class ProblemRenderingTests
{
    [Fact]
    public void Render_ValidationProblem_ShowsTitleThenOneLinePerFieldMessage()
    {
        const string body = """
            {"type":"https://control.invalid/problems/validation","title":"The request is not valid.","status":400,
             "errors":{"slug":["A namespace is 3-32 characters: lowercase letters, digits and inner hyphens."],
                       "ownerPassword":["The password must be at least 12 characters long.","This password is on the list of common or breached passwords; choose another."]}}
            """;

        var text = ApiProblem.Parse(HttpStatusCode.BadRequest, body).Render();

        Assert.Equal(
            string.Join(Environment.NewLine,
                "error: The request is not valid",
                "  slug: A namespace is 3-32 characters: lowercase letters, digits and inner hyphens.",
                "  ownerPassword: The password must be at least 12 characters long.",
                "  ownerPassword: This password is on the list of common or breached passwords; choose another."),
            text);
    }

    [Fact]
    public void Render_WithFieldNames_ShowsTheOptionTheUserTyped()
    {
        const string body = """{"title":"The request is not valid.","status":400,"errors":{"slug":["Bad namespace."],"other":["Kept as is."]}}""";

        var text = ApiProblem.Parse(HttpStatusCode.BadRequest, body).Render(new Dictionary<string, string> { ["slug"] = "--org" });

        Assert.Contains("  --org: Bad namespace.", text, StringComparison.Ordinal);
        Assert.Contains("  other: Kept as is.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("slug", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SignInProblem_KeepsCodeAndRendersTitleAndDetail()
    {
        const string body = """
            {"title":"Sign-in failed.","status":401,"detail":"Enter the code from your authenticator app (or a recovery code).","code":"sign_in.second_factor_required"}
            """;

        var problem = ApiProblem.Parse(HttpStatusCode.Unauthorized, body);

        Assert.Equal("sign_in.second_factor_required", problem.Code);
        Assert.Equal(401, problem.Status);
        Assert.Equal("error: Sign-in failed: Enter the code from your authenticator app (or a recovery code).", problem.Render());
    }

    [Theory]
    [InlineData("<html><body>Bad Gateway</body></html>")]
    [InlineData("")]
    [InlineData("[1,2]")]
    public void Parse_BodyThatIsNoProblem_FallsBackToTheStatus(string body)
    {
        var problem = ApiProblem.Parse(HttpStatusCode.BadGateway, body);

        Assert.Equal("error: HTTP 502 Bad Gateway", problem.Render());
        Assert.Empty(problem.Errors);
    }
}
