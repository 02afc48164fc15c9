// The config file's keys and look, made into what the screen uses: the
// binding table with the file's keys in it, and the pane's look (pane-look.ts),
// one object for the run, which the screen hands to the pane and the sidebar.
import {useMemo} from 'react';
import {withKeyOverrides} from '../cli/config-keys.js';
import {keyBindings, primaryKeyFor, type Binding} from './key-bindings.js';
import {DEFAULT_LOOK, type PaneLook} from './pane-look.js';
import type {ScreenSettings} from './screen-settings.js';

export type ScreenLook = {readonly bindings: readonly Binding[]; readonly look: PaneLook};

export function useScreenLook(settings: ScreenSettings | undefined): ScreenLook {
	const {keys, timestamps, colours} = settings ?? {};
	return useMemo(() => {
		const bindings = withKeyOverrides(keyBindings, keys ?? []);
		const look: PaneLook = {...DEFAULT_LOOK, ...timestamps, ...colours, viewKey: primaryKeyFor('openCodeViewer', bindings), switcherKey: primaryKeyFor('openSwitcher', bindings)};
		return {bindings, look};
	}, [keys, timestamps, colours]);
}
