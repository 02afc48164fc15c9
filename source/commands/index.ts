export type {CommandContext, CommandDescriptor, DescriptorType, KeyHelpLine, SlashCommand} from './types.js';
export {builtinCommands, createRegistry, defaultRegistry, type CommandRegistry} from './registry.js';
export {interpretLine, parseLine, type ParsedLine} from './parse.js';
