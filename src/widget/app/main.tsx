import './styles.css';
import { render } from 'solid-js/web';
import { parseWidgetConfig } from './config/widgetConfig.js';
import { resolveHostOrigin } from './config/hostOrigin.js';
import { Widget } from './ui/Widget.js';

const root = document.getElementById('root');
const config = parseWidgetConfig(document.getElementById('picasso-config')?.textContent);

if (root && config) {
  if (config.theme.accent) document.documentElement.style.setProperty('--accent', config.theme.accent);
  const hostOrigin = resolveHostOrigin(window.location.search, config.allowedOrigins, window.location.ancestorOrigins);
  render(() => <Widget win={window} config={config} hostOrigin={hostOrigin} />, root);
} else if (root) {
  root.textContent = 'The chat is not available right now.';
}
