using Control.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class EndpointPolicyTests(ApiFixture api)
{
    private static readonly string[] Anonymous = ["/setup", "/auth/login", "/auth/refresh", "/auth/activate", "/auth/logout", "/portal/session", "/agent/enroll", "/health/live", "/health/ready", "/openapi/{documentName}.json"];

    [Fact]
    public void Every_endpoint_names_a_policy_or_is_one_of_the_known_anonymous_ones()
    {
        var endpoints = api.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 10);

        var anonymous = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                anonymous.Add(route);
                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
            Assert.True(policies.Count > 0, $"{route} has no explicit authorization policy");
        }

        Assert.Equal(Anonymous.Order(), anonymous.Distinct().Order());
    }
}
