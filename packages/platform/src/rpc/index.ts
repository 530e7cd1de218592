export { connectHandler, rpcClient } from './rpc';
