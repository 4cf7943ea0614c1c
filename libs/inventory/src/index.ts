export { DEFAULT_MAX_HOSTS, detectInventoryFormat, parseInventory } from './parse-inventory';
export { expandHostPattern, type ExpandedPattern } from './host-pattern';
export type {
  InventoryEntryError,
  InventoryFormat,
  InventoryHost,
  InventoryParseResult,
  InventorySyntaxError,
} from './types';
