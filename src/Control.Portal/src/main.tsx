import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { whenSignedOut } from "./api";
import { Loading, ProblemMessage } from "./components";
import { Activate } from "./pages/Activate";
import { Audit } from "./pages/Audit";
import { ClientDetail } from "./pages/ClientDetail";
import { Clients } from "./pages/Clients";
import { CustomClients } from "./pages/CustomClients";
import { Dashboard } from "./pages/Dashboard";
import { License } from "./pages/License";
import { OffboardingProgress, Offboardings } from "./pages/Offboarding";
import { Operators } from "./pages/Operators";
import { OrganizationAcl } from "./pages/OrganizationAcl";
import { People, PersonDetail } from "./pages/People";
import { Sessions } from "./pages/Sessions";
import { Settings } from "./pages/Settings";
import { SignIn } from "./pages/SignIn";
import { TwoFactor } from "./pages/TwoFactor";
import { href, navigate, useRoute, type Route } from "./router";
import { can, current, signOut, signOutEverywhere, type Permission, type PortalSession } from "./session";

interface NavItem {
  label: string;
  path: string;
  permission?: Permission;
}

// Only what the operator's role may use is shown; the server decides (session.permissions) and enforces.
const navigation: NavItem[] = [
  { label: "Dashboard", path: "" },
  { label: "Clients", path: "clients", permission: "read-clients" },
  { label: "Custom clients", path: "custom-clients", permission: "read-clients" },
  { label: "Organization ACL", path: "organization-acl", permission: "read-clients" },
  { label: "Live sessions", path: "sessions", permission: "read-sessions" },
  { label: "Audit", path: "audit", permission: "read-audit" },
  { label: "Offboarding", path: "offboardings", permission: "offboard" },
  { label: "People", path: "people", permission: "read-people" },
  { label: "Operators", path: "operators", permission: "read-operators" },
  { label: "License", path: "license", permission: "manage-license" },
  { label: "Settings", path: "settings" },
  { label: "Two-factor", path: "2fa" },
];

function App() {
  const [session, setSession] = useState<PortalSession | null | undefined>(undefined);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const route = useRoute();

  useEffect(() => {
    whenSignedOut(() => {
      setSession(null);
      setNotice("Your session ended (signed out, idle too long, or the account was changed). Sign in again.");
    });
    current().then(setSession, setError);
  }, []);

  if (error) {
    return <main id="main"><ProblemMessage error={error} /></main>;
  }
  if (session === undefined) {
    return <main id="main"><Loading /></main>;
  }
  if (session === null) {
    if (route.parts[0] === "activate") {
      return <Activate onDone={() => navigate()} />;
    }
    return <SignIn notice={notice} onSignedIn={(s) => { setNotice(undefined); setSession(s); if (!s.operator.twoFactorEnabled) navigate("2fa"); }} />;
  }

  const refresh = async () => setSession(await current());
  const leave = async (everywhere: boolean) => {
    try {
      if (everywhere) {
        await signOutEverywhere("signed out everywhere from the portal");
      } else {
        await signOut();
      }
    } finally {
      setSession(null);
      setNotice(everywhere ? "Signed out everywhere: every session and token of your account has ended." : "Signed out.");
      navigate();
    }
  };

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand">Control</span>
        <nav aria-label="Main">
          <ul>
            {navigation.filter((item) => !item.permission || can(session, item.permission)).map((item) => (
              <li key={item.path}>
                <a href={href(...(item.path ? [item.path] : []))} aria-current={active(route, item.path) ? "page" : undefined}>{item.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <span class="who">{session.operator.username}@{session.operator.organization} <span class="role">{session.operator.role}</span></span>
          <button type="button" onClick={() => leave(false)}>Sign out</button>
          <button type="button" onClick={() => leave(true)}>Sign out everywhere</button>
        </div>
      </header>
      {!session.operator.twoFactorEnabled && route.parts[0] !== "2fa" && (
        <p class="banner" role="status">Your account has no second factor. <a href={href("2fa")}>Turn on two-factor authentication</a>.</p>
      )}
      <main id="main" tabIndex={-1}>
        <Page route={route} session={session} refresh={refresh} />
      </main>
    </>
  );
}

function active(route: Route, path: string) {
  return (route.parts[0] ?? "") === path;
}

function Page(props: { route: Route; session: PortalSession; refresh: () => Promise<void> }) {
  const [first, second] = props.route.parts;
  switch (first) {
    case undefined:
      return <Dashboard session={props.session} />;
    case "2fa":
      return <TwoFactor session={props.session} onEnabled={props.refresh} />;
    case "clients":
      if (!can(props.session, "read-clients")) {
        return <NotAllowed />;
      }
      return second ? <ClientDetail session={props.session} client={second} /> : <Clients route={props.route} session={props.session} />;
    case "audit":
      return can(props.session, "read-audit") ? <Audit /> : <NotAllowed />;
    case "offboardings":
      if (!can(props.session, "offboard")) {
        return <NotAllowed />;
      }
      return second ? <OffboardingProgress id={second} session={props.session} /> : <Offboardings />;
    case "people":
      if (!can(props.session, "read-people")) {
        return <NotAllowed />;
      }
      return second ? <PersonDetail session={props.session} id={second} /> : <People session={props.session} />;
    case "operators":
      return can(props.session, "read-operators") ? <Operators session={props.session} /> : <NotAllowed />;
    case "license":
      return can(props.session, "manage-license") ? <License /> : <NotAllowed />;
    case "custom-clients":
      return can(props.session, "read-clients") ? <CustomClients session={props.session} /> : <NotAllowed />;
    case "organization-acl":
      return can(props.session, "read-clients") ? <OrganizationAcl session={props.session} /> : <NotAllowed />;
    case "settings":
      return <Settings session={props.session} />;
    case "sessions":
      return can(props.session, "read-sessions") ? <Sessions session={props.session} /> : <NotAllowed />;
    default:
      return <section><h1>Not found</h1><p>There is no such page. <a href={href()}>Back to the dashboard</a>.</p></section>;
  }
}

function NotAllowed() {
  return <section><h1>Not allowed</h1><p>Your role may not use this page.</p></section>;
}

render(<App />, document.getElementById("app")!);
