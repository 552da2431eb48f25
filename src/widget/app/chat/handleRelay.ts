import type { PurposeToken, Session } from '../../../machines/sessionMachine.js';
import type { HttpDeps } from '../../transport/http.js';
import { fetchSessionHandle } from '../../transport/sessionApi.js';
import type { ParentBridge } from '../bridge/parentBridge.js';

/**
 * For an iframe without storage of its own: after every grant, gives the host page a fresh session
 * handle to keep for the next page load, so the handle never outlives the session's manage token
 * by much and always names the current session. Only the newest grant's handle is posted; a
 * failed fetch waits for the next grant (at the latest the next refresh).
 */
export function makeHandleRelay(http: HttpDeps, bridge: ParentBridge): (grant: { session: Session; handle?: PurposeToken }) => void {
  let latest = 0;
  return ({ session, handle }) => {
    const call = ++latest;
    if (handle) {
      bridge.post({ type: 'handle', handle: handle.token });
      return;
    }
    fetchSessionHandle(http, session.tokens.manage.token).then(
      (fresh) => {
        if (call === latest) bridge.post({ type: 'handle', handle: fresh.token });
      },
      () => undefined,
    );
  };
}
